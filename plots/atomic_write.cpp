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
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error(fmt::format("cannot write '{}': {}", tmp.string(), std::strerror(errno)));
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(tmp, ignored);
      throw std::runtime_error(fmt::format("cannot write '{}' (disk full?)", tmp.string()));
    }
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
