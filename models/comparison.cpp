#include <cotdyn/models/comparison.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

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

double first_reach(const std::vector<double>& t, const std::vector<double>& values, double level) {
  for (std::size_t i = 0; i < t.size() && i < values.size(); ++i)
    if (values[i] >= level) return t[i];
  return std::numeric_limits<double>::quiet_NaN();
}

double median_with_unreached(std::vector<double> times) {
  if (times.empty()) return std::numeric_limits<double>::quiet_NaN();
  for (auto& x : times)
    if (!std::isfinite(x)) x = std::numeric_limits<double>::infinity();
  std::sort(times.begin(), times.end());
  const std::size_t n = times.size();
  const double med = n % 2 ? times[n / 2] : 0.5 * (times[n / 2 - 1] + times[n / 2]);
  return std::isfinite(med) ? med : std::numeric_limits<double>::quiet_NaN();
}

std::vector<double> ComparedSize::mean(const std::string& column) const { return seed_mean(per_seed(measured, column)); }

std::vector<double> ComparedSize::std_dev(const std::string& column) const {
  return seed_std_dev(per_seed(measured, column));
}

std::string predictions_markdown(const std::vector<PredictionCheck>& checks) {
  std::string out = "| check | prediction | measured | verdict |\n|---|---|---|---|\n";
  for (const auto& c : checks) out += "| " + c.name + " | " + c.prediction + " | " + c.measured + " | " + c.verdict + " |\n";
  return out;
}

core::CsvTable predictions_table(const std::vector<PredictionCheck>& checks) {
  core::CsvTable table({"name", "prediction", "measured", "verdict"});
  for (const auto& c : checks) table.add_row(std::vector<std::string>{c.name, c.prediction, c.measured, c.verdict});
  return table;
}

}  // namespace cotdyn::models
