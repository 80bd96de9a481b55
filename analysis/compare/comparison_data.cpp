#include <cotdyn/analysis/compare/comparison_data.hpp>

#include <algorithm>
#include <iterator>
#include <limits>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include <cotdyn/models/comparison.hpp>

namespace cotdyn::compare {

namespace {
const std::vector<double>& series_of(const SeedSeries& seed, const std::string& quantity) {
  const auto it = seed.values.find(quantity);
  if (it == seed.values.end()) throw std::out_of_range(fmt::format("no simulated quantity '{}'", quantity));
  return it->second;
}
}  // namespace

namespace {
std::vector<std::vector<double>> per_seed(const std::vector<SeedSeries>& seeds, const std::string& quantity) {
  std::vector<std::vector<double>> series;
  for (const auto& seed : seeds) series.push_back(series_of(seed, quantity));
  return series;
}
}  // namespace

// The one rule of models::seed_mean and models::seed_std_dev (ddof 0), also used by the models' additions.
std::vector<double> SimulatedRun::mean(const std::string& quantity) const { return models::seed_mean(per_seed(seeds, quantity)); }

std::vector<double> SimulatedRun::std_dev(const std::string& quantity) const {
  return models::seed_std_dev(per_seed(seeds, quantity));
}

std::vector<double> SimulatedRun::sample_std_dev(const std::string& quantity) const {
  std::vector<double> sd = std_dev(quantity);
  const double S = static_cast<double>(seeds.size());
  for (double& x : sd) x = S >= 2 ? x * std::sqrt(S / (S - 1)) : std::numeric_limits<double>::quiet_NaN();
  return sd;
}

SimulatedRun to_simulated_run(const simulation::TrainingResult& result, int d) {
  SimulatedRun run;
  run.d = d;
  for (const auto& w : result.status.warnings) run.warnings.push_back(w.message());
  for (const auto& row : result.measurements) {
    auto it = std::find_if(run.seeds.begin(), run.seeds.end(), [&](const auto& s) { return s.seed == row.seed; });
    if (it == run.seeds.end()) {
      run.seeds.push_back({row.seed, {}, {}});
      it = std::prev(run.seeds.end());
    }
    it->t.push_back(row.t);
    for (std::size_t c = 0; c < result.columns.size(); ++c) it->values[result.columns[c]].push_back(row.values[c]);
  }
  std::size_t longest = 0;
  for (const auto& s : run.seeds) longest = std::max(longest, s.t.size());
  run.seeds.erase(std::remove_if(run.seeds.begin(), run.seeds.end(), [&](const auto& s) { return s.t.size() < longest; }),
                  run.seeds.end());
  return run;
}

}  // namespace cotdyn::compare
