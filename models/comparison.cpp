#include <cotdyn/models/comparison.hpp>

#include <cmath>

namespace cotdyn::models {

std::vector<double> seed_mean(const std::vector<std::vector<double>>& per_seed) {
  std::vector<double> mean(per_seed.empty() ? 0 : per_seed.front().size(), 0.0);
  for (const auto& values : per_seed)
    for (std::size_t j = 0; j < mean.size(); ++j) mean[j] += values[j] / per_seed.size();
  return mean;
}

std::vector<double> seed_std_dev(const std::vector<std::vector<double>>& per_seed) {
  const auto m = seed_mean(per_seed);
  std::vector<double> var(m.size(), 0.0);
  for (const auto& values : per_seed)
    for (std::size_t j = 0; j < m.size(); ++j) var[j] += (values[j] - m[j]) * (values[j] - m[j]) / per_seed.size();
  for (auto& x : var) x = std::sqrt(x);
  return var;
}

namespace {
std::vector<std::vector<double>> per_seed(const std::vector<Trajectory>& measured, const std::string& column) {
  std::vector<std::vector<double>> series;
  for (const auto& seed : measured) series.push_back(seed.column(column));
  return series;
}
}  // namespace

std::vector<double> ComparedSize::mean(const std::string& column) const { return seed_mean(per_seed(measured, column)); }

std::vector<double> ComparedSize::std_dev(const std::string& column) const {
  return seed_std_dev(per_seed(measured, column));
}

}  // namespace cotdyn::models
