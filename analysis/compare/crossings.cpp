#include <cotdyn/analysis/compare/crossings.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include <cotdyn/meanfield/state_tracking/order_parameters.hpp>

namespace cotdyn::compare {

double first_crossing(const std::vector<double>& t, const std::vector<double>& y, double level,
                      Interpolation interpolation) {
  for (std::size_t i = 0; i + 1 < y.size(); ++i) {
    if (!(y[i] < level && y[i + 1] >= level)) continue;
    if (interpolation == Interpolation::logarithmic && y[i] > 0 && level > 0) {
      const double a = std::log(y[i]), b = std::log(y[i + 1]);
      return t[i] + (t[i + 1] - t[i]) * (std::log(level) - a) / (b - a);
    }
    return t[i] + (t[i + 1] - t[i]) * (level - y[i]) / (y[i + 1] - y[i]);
  }
  return std::numeric_limits<double>::quiet_NaN();
}

double interpolated_value(const std::vector<double>& t, const std::vector<double>& y, double at) {
  if (!std::isfinite(at) || t.empty() || at < t.front() || at > t.back()) return std::numeric_limits<double>::quiet_NaN();
  const auto i = static_cast<std::size_t>(std::upper_bound(t.begin(), t.end(), at) - t.begin());
  if (i == 0) return y.front();
  if (i == t.size()) return y.back();
  return y[i - 1] + (y[i] - y[i - 1]) * (at - t[i - 1]) / (t[i] - t[i - 1]);
}

LockOnTimes lock_on_times(const SimulatedRun& run, const TheorySeries& theory, int L) {
  const double level = meanfield::lock_on_retrieval(L);
  LockOnTimes result;
  double sum = 0, sum_sq = 0;
  for (const auto& seed : run.seeds) {
    const double t = first_crossing(seed.t, seed.values.at("M"), level, Interpolation::logarithmic);
    result.per_seed.push_back(t);
    if (std::isfinite(t)) {
      ++result.locked_seeds;
      sum += t;
      sum_sq += t * t;
    }
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  result.mean = result.locked_seeds ? sum / result.locked_seeds : nan;
  result.std_dev = result.locked_seeds ? std::sqrt(std::max(0.0, sum_sq / result.locked_seeds - result.mean * result.mean))
                                       : nan;
  result.mean_alpha_crossing = first_crossing(run.times(), run.mean("alpha"), 0.5);
  result.theory_sampled = first_crossing(theory.t, theory.values.at("M"), level, Interpolation::logarithmic);
  return result;
}

}  // namespace cotdyn::compare
