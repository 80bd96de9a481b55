#pragma once
// What every end-to-end command test does: a fresh scratch directory, a run of the cotdyn binary
// with its output in a log file, and reading a file back.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <fmt/format.h>

namespace cotdyn::testing {

// An empty directory TMP/cotdyn_test_<prefix>_<name>_<pid>.
inline std::filesystem::path scratch_directory(const std::string& prefix, const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / fmt::format("cotdyn_test_{}_{}_{}", prefix, name, ::getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// Runs `[environment] cotdyn ARGUMENTS`, stdout and stderr into `log`; returns the exit status.
inline int run_cotdyn(const std::string& arguments, const std::filesystem::path& log, const std::string& environment = "") {
  const int status =
      std::system(fmt::format("{} {} {} > '{}' 2>&1", environment, COTDYN_BINARY, arguments, log.string()).c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace cotdyn::testing
