#include <cotdyn/core/output_directory.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include <fmt/format.h>

#include <cotdyn/plots/atomic_write.hpp>

namespace cotdyn::core {

OutputDirectory open_output_directory(const std::string& out) {
  std::filesystem::path directory(out);
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error || !std::filesystem::is_directory(directory))
    throw std::invalid_argument(fmt::format("--out {}: cannot create the directory ({})", out, error.message()));
  // A directory where no file can be made (read-only, immutable, no permission) is refused now, not
  // at the first result.
  const auto probe = plots::temporary_sibling(directory / "write_probe");
  const int descriptor = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (descriptor < 0)
    throw std::invalid_argument(fmt::format("--out {}: cannot write in the directory ({})", out, std::strerror(errno)));
  ::close(descriptor);
  std::filesystem::remove(probe, error);
  return {directory, std::make_shared<DirectoryLock>(directory, "--out " + out)};
}

}  // namespace cotdyn::core
