#include "comparison_data.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace cotdyn::compare {

namespace {
const std::vector<double>& series_of(const SeedSeries& seed, const std::string& quantity) {
  const auto it = seed.values.find(quantity);
  if (it == seed.values.end()) throw std::out_of_range(fmt::format("no simulated quantity '{}'", quantity));
  return it->second;
}
}  // namespace

std::vector<double> SimulatedRun::mean(const std::string& quantity) const {
  std::vector<double> mean(times().size(), 0.0);
  for (const auto& seed : seeds) {
    const auto& v = series_of(seed, quantity);
    for (std::size_t i = 0; i < mean.size(); ++i) mean[i] += v[i] / seeds.size();
  }
  return mean;
}

std::vector<double> SimulatedRun::std_dev(const std::string& quantity) const {
  const auto m = mean(quantity);
  std::vector<double> var(m.size(), 0.0);
  for (const auto& seed : seeds) {
    const auto& v = series_of(seed, quantity);
    for (std::size_t i = 0; i < m.size(); ++i) var[i] += (v[i] - m[i]) * (v[i] - m[i]) / seeds.size();
  }
  for (auto& x : var) x = std::sqrt(x);
  return var;
}

}  // namespace cotdyn::compare
