#include <cotdyn/core/directory_lock.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace cotdyn::core {

namespace {
std::string host_name() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "unknown host";
  return name;
}

std::string read_all(int descriptor) {
  std::string text;
  char buffer[256];
  if (lseek(descriptor, 0, SEEK_SET) < 0) return text;
  for (ssize_t n; (n = read(descriptor, buffer, sizeof buffer)) > 0;) text.append(buffer, static_cast<std::size_t>(n));
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}
}  // namespace

DirectoryLock::DirectoryLock(const std::filesystem::path& directory, const std::string& option) {
  const auto path = directory / file_name();
  descriptor_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (descriptor_ < 0)
    throw std::invalid_argument(fmt::format("{}: cannot create the lock file {} ({})", option, path.string(),
                                            std::strerror(errno)));
  if (flock(descriptor_, LOCK_EX | LOCK_NB) != 0) {
    const std::string holder = read_all(descriptor_);
    ::close(descriptor_);
    descriptor_ = -1;
    throw std::invalid_argument(fmt::format(
        "{}: another cotdyn is writing this directory ({}); wait for it to end or choose another directory",
        option, holder.empty() ? "holder unknown" : holder));
  }
  // Who holds it, for the message a second writer gets.
  const std::string holder = fmt::format("host {}, pid {}\n", host_name(), static_cast<long>(getpid()));
  if (ftruncate(descriptor_, 0) == 0 && lseek(descriptor_, 0, SEEK_SET) == 0) {
    [[maybe_unused]] const ssize_t written = write(descriptor_, holder.data(), holder.size());
  }
}

DirectoryLock::~DirectoryLock() {
  if (descriptor_ >= 0) ::close(descriptor_);  // closing releases the lock
}

void lock_for_this_process(const std::filesystem::path& directory, const std::string& option) {
  static std::mutex mutex;
  static std::vector<std::unique_ptr<DirectoryLock>> held;
  std::lock_guard<std::mutex> guard(mutex);
  held.push_back(std::make_unique<DirectoryLock>(directory, option));
}

}  // namespace cotdyn::core
