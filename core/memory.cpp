#include <cotdyn/core/memory.hpp>

#include <malloc.h>

#include <mutex>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

namespace cotdyn::core {

double MemoryEstimate::total() const {
  double sum = 0;
  for (const auto& part : parts) sum += part.bytes;
  return sum;
}

std::string MemoryEstimate::key_to_lower() const {
  const MemoryPart* largest = nullptr;
  for (const auto& part : parts)
    if (!part.key.empty() && (!largest || part.bytes > largest->bytes)) largest = &part;
  return largest ? largest->key : "";
}

nlohmann::json MemoryEstimate::to_json() const {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& part : parts) list.push_back({{"what", part.what}, {"bytes", part.bytes}, {"key", part.key}});
  return {{"bytes", total()}, {"parts", list}};
}

std::string MemoryEstimate::str() const {
  std::string detail;
  for (const auto& part : parts)
    detail += fmt::format("{}{} {}", detail.empty() ? "" : ", ", part.what, format_bytes(part.bytes));
  return fmt::format("{} ({})", format_bytes(total()), detail);
}

std::string format_bytes(double bytes) {
  static const char* units[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
  int unit = 0;
  // 999.5 rather than 1000: three significant digits would round 999.7 MB to "1e+03 MB".
  while (std::abs(bytes) >= 999.5 && unit < 6) {
    bytes /= 1000;
    ++unit;
  }
  return unit == 0 ? fmt::format("{:.0f} B", bytes) : fmt::format("{:.3g} {}", bytes, units[unit]);
}

namespace {
// The first number of a file ("max" or an unreadable file: nullopt).
std::optional<double> number_in(const std::string& path) {
  std::ifstream in(path);
  std::string word;
  if (!(in >> word) || word == "max") return std::nullopt;
  try {
    return std::stod(word);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<double> mem_available() {
  std::ifstream in("/proc/meminfo");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string key;
    double kilobytes = 0;
    if (words >> key >> kilobytes && key == "MemAvailable:") return kilobytes * 1024;
  }
  return std::nullopt;
}

// Room left under the cgroup's limit; v1 reports "no limit" as a huge number.
std::optional<double> cgroup_room() {
  if (const auto limit = number_in("/sys/fs/cgroup/memory.max")) {
    const double used = number_in("/sys/fs/cgroup/memory.current").value_or(0);
    return std::max(0.0, *limit - used);
  }
  if (const auto limit = number_in("/sys/fs/cgroup/memory/memory.limit_in_bytes"); limit && *limit < 1e18) {
    const double used = number_in("/sys/fs/cgroup/memory/memory.usage_in_bytes").value_or(0);
    return std::max(0.0, *limit - used);
  }
  return std::nullopt;
}
}  // namespace

std::optional<double> available_memory() {
  const auto system = mem_available();
  const auto cgroup = cgroup_room();
  if (system && cgroup) return std::min(*system, *cgroup);
  return system ? system : cgroup;
}

double resident_memory() {
  std::ifstream in("/proc/self/statm");
  double total_pages = 0, resident_pages = 0;
  if (!(in >> total_pages >> resident_pages)) return 0;
  return resident_pages * static_cast<double>(::sysconf(_SC_PAGESIZE));
}

void check_fits(const MemoryEstimate& estimate, double available, const std::string& context) {
  if (estimate.total() <= available) return;
  const std::string key = estimate.key_to_lower();
  throw std::invalid_argument(fmt::format("{} needs an estimated {}, more than the {} available{}", context,
                                          estimate.str(), format_bytes(available),
                                          key.empty() ? "" : fmt::format("; lower {}", key)));
}

void keep_large_blocks_in_heap() {
  static std::once_flag once;
  std::call_once(once, [] {
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
  });
}

}  // namespace cotdyn::core
