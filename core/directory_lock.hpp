#pragma once
// One writer per output directory: an advisory lock (flock) on DIR/.cotdyn.lock, held for the life
// of the process that writes DIR. A second cotdyn asked to write the same directory (two cluster tasks
// given the same --out, a resume started twice) is refused with the first one's host and pid. The
// kernel releases the lock when its holder exits, however it exits, so the file left behind is
// harmless and may be removed whenever no cotdyn is writing the directory.
#include <filesystem>

namespace cotdyn::core {

class DirectoryLock {
 public:
  // Locks `directory` (which must exist) for this process; std::invalid_argument naming `option`
  // (e.g. "--out results/x"), the holder's host and pid when another process holds it.
  DirectoryLock(const std::filesystem::path& directory, const std::string& option);
  ~DirectoryLock();
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;

  // The lock file's name inside a locked directory.
  static const char* file_name() { return ".cotdyn.lock"; }

 private:
  int descriptor_ = -1;
};

// Locks `directory` until the process exits (a command writes one directory and then ends).
void lock_for_this_process(const std::filesystem::path& directory, const std::string& option);

}  // namespace cotdyn::core
