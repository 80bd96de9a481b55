#include <cotdyn/simulation/measurement.hpp>

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

namespace cotdyn::simulation {

std::string SeedFailure::message() const {
  return fmt::format("seed {} stopped at step {} (t = {:.6g}): non-finite {}", seed, step, t, quantity);
}

std::string RunWarning::message() const {
  return fmt::format("seed {} at step {} (t = {:.6g}): {} {}", seed, step, t, quantity, what);
}

double TrainingResult::value(const Measurement& row, const std::string& column) const {
  const auto it = std::find(columns.begin(), columns.end(), column);
  if (it == columns.end()) throw std::out_of_range(fmt::format("no measured column named \"{}\"", column));
  return row.values.at(static_cast<std::size_t>(it - columns.begin()));
}

}  // namespace cotdyn::simulation
