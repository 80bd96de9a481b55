#include <cotdyn/core/observation_grid.hpp>

#include <cotdyn/core/config.hpp>

#include <cmath>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace cotdyn::core {

namespace {
[[noreturn]] void bad_grid(const std::string& spec, const std::string& why) {
  throw std::invalid_argument(fmt::format(
      "observe.times = \"{}\": {} (allowed: \"linear:a:b:n\", \"log:a:b:n\" with a > 0, or a list of times; "
      "a or b may be t_max)", spec, why));
}

double parse_end_point(const std::string& text, double t_max, const std::string& spec) {
  if (text == "t_max") return t_max;
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || text.empty()) bad_grid(spec, fmt::format("'{}' is not a number", text));
  return value;
}
}  // namespace

void check_observation_times(const std::vector<double>& times, double t_max) {
  if (times.empty()) throw std::invalid_argument("observe.times is empty: give at least one time");
  for (std::size_t i = 0; i < times.size(); ++i) {
    if (!(times[i] >= 0 && times[i] <= t_max * (1 + 1e-12)))
      throw std::invalid_argument(fmt::format(
          "observe.times contains {}: every time must lie in [0, train.t_max = {}]", times[i], t_max));
    if (i > 0 && !(times[i] > times[i - 1]))
      throw std::invalid_argument(fmt::format(
          "observe.times = {}: times must be strictly increasing ({} follows {})", times, times[i], times[i - 1]));
  }
}

std::vector<double> parse_observation_grid(const std::string& spec, double t_max) {
  std::vector<std::string> parts;
  std::stringstream stream(spec);
  for (std::string part; std::getline(stream, part, ':');) parts.push_back(part);
  if (parts.size() != 4 || (parts[0] != "linear" && parts[0] != "log"))
    bad_grid(spec, "unrecognised form");
  const double a = parse_end_point(parts[1], t_max, spec), b = parse_end_point(parts[2], t_max, spec);
  long n = 0;
  try {
    std::size_t used = 0;
    n = std::stol(parts[3], &used);
    if (used != parts[3].size()) n = 0;
  } catch (const std::exception&) {
    n = 0;
  }
  if (n < 2) bad_grid(spec, fmt::format("the number of points '{}' must be an integer >= 2", parts[3]));
  if (!(b > a)) bad_grid(spec, fmt::format("the end {} must exceed the start {}", b, a));
  std::vector<double> times;
  if (parts[0] == "linear") {
    for (long i = 0; i < n; ++i) times.push_back(i + 1 == n ? b : a + (b - a) * i / (n - 1));
  } else {
    if (!(a > 0)) bad_grid(spec, fmt::format("a log grid needs a start a > 0, got {}", a));
    times.push_back(0.0);
    for (long i = 0; i < n; ++i)
      times.push_back(i + 1 == n ? b : std::exp(std::log(a) + (std::log(b) - std::log(a)) * i / (n - 1)));
  }
  check_observation_times(times, t_max);
  return times;
}

double resolve_t_max(const Config& config) {
  const double t_max = config.get_number("train.t_max");
  // Beyond 1e8 time units no model's ODE or run ends in reasonable time (an adaptive solver gives up,
  // a run would take t_max * d steps): refused, like any other value that cannot work.
  if (!(t_max > 0) || !(t_max <= 1e8))
    throw std::invalid_argument(fmt::format("train.t_max = {}: must be a positive number, at most 1e8", t_max));
  return t_max;
}

std::vector<double> resolve_observation_times(const Config& config) {
  const double t_max = resolve_t_max(config);
  if (config.is_string("observe.times")) return parse_observation_grid(config.get_string("observe.times"), t_max);
  std::vector<double> times = config.get_number_list("observe.times");
  check_observation_times(times, t_max);
  return times;
}

}  // namespace cotdyn::core
