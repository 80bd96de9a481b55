#include <cotdyn/models/comparison.hpp>

#include <cmath>

namespace cotdyn::models {

std::vector<double> ComparedSize::mean(const std::string& column) const {
  std::vector<double> mean;
  for (const auto& seed : measured) {
    const auto values = seed.column(column);
    if (mean.empty()) mean.assign(values.size(), 0.0);
    for (std::size_t j = 0; j < values.size(); ++j) mean[j] += values[j] / measured.size();
  }
  return mean;
}

std::vector<double> ComparedSize::std_dev(const std::string& column) const {
  const auto m = mean(column);
  std::vector<double> var(m.size(), 0.0);
  for (const auto& seed : measured) {
    const auto values = seed.column(column);
    for (std::size_t j = 0; j < m.size(); ++j) var[j] += (values[j] - m[j]) * (values[j] - m[j]) / measured.size();
  }
  for (auto& x : var) x = std::sqrt(x);
  return var;
}

}  // namespace cotdyn::models
