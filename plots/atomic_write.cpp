#include <cotdyn/plots/atomic_write.hpp>

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <system_error>

#include <fmt/format.h>

namespace cotdyn::plots {

std::filesystem::path temporary_sibling(const std::filesystem::path& target) {
  static std::atomic<unsigned long> counter{0};
  // ".NAME.tmp.PID.N": hidden, unique per process and call, and recognisable as a leftover of an
  // interrupted write (the sweep removes such files on resume).
  const auto name = fmt::format(".{}.tmp.{}.{}", target.filename().string(), static_cast<long>(::getpid()),
                                counter.fetch_add(1));
  return target.parent_path() / name;
}

void write_file_atomically(const std::filesystem::path& target, std::string_view content) {
  const auto tmp = temporary_sibling(target);
  // A failed write names the file and the system's reason (no space left, a file-size limit, a
  // read-only file system), removes the temporary file and leaves the target as it was.
  const auto failed = [&](int error) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    return std::runtime_error(fmt::format("cannot write '{}': {}; it is unchanged", target.string(),
                                          error ? std::strerror(error) : "write error"));
  };
  {
    errno = 0;
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw failed(errno);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    const int write_error = errno;
    out.close();
    if (!out) throw failed(errno ? errno : write_error);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, target, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    throw std::runtime_error(fmt::format("cannot rename '{}' to '{}': {}", tmp.string(), target.string(), ec.message()));
  }
}

}  // namespace cotdyn::plots
