#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include <cotdyn/core/directory_lock.hpp>

namespace fs = std::filesystem;
using cotdyn::core::DirectoryLock;

namespace {
// Whether a forked process is refused the lock with a message naming `pid` (exit 0), or gets it (1).
int try_lock_in_child(const fs::path& directory, long pid) {
  const pid_t child = fork();
  if (child == 0) {
    try {
      DirectoryLock second(directory, "--out x");
    } catch (const std::invalid_argument& e) {
      const std::string message = e.what();
      _exit(message.find("--out x") != std::string::npos && message.find("pid " + std::to_string(pid)) != std::string::npos ? 0 : 3);
    }
    _exit(1);
  }
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
}  // namespace

TEST_CASE("one process holds a directory's lock, another is refused with the holder's pid until it is released") {
  const fs::path directory = fs::temp_directory_path() / ("cotdyn_lock_test_" + std::to_string(getpid()));
  fs::remove_all(directory);
  fs::create_directories(directory);
  {
    DirectoryLock lock(directory, "--out x");
    CHECK(fs::exists(directory / DirectoryLock::file_name()));
    CHECK(try_lock_in_child(directory, static_cast<long>(getpid())) == 0);
  }
  CHECK(try_lock_in_child(directory, static_cast<long>(getpid())) == 1);  // released: the child gets it
  fs::remove_all(directory);
}
