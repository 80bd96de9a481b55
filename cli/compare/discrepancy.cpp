#include "discrepancy.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

namespace cotdyn::compare {

const std::vector<QuantityPair>& compared_quantities() {
  // Coefficient-space R_c, Q_c converge to the same d -> infinity limit as logit space (SPEC section 3).
  static const std::vector<QuantityPair> pairs = {
      {"M", "M"},     {"alpha", "alpha"}, {"R", "R"},           {"Q", "Q"},
      {"R_c", "R"},   {"Q_c", "Q"},       {"step_acc", "step_acc"}, {"rollout_acc", "rollout_acc"}};
  return pairs;
}

Discrepancy discrepancy(const SimulatedRun& run, const TheorySeries& theory, const QuantityPair& quantity) {
  const auto mean = run.mean(quantity.simulated), sd = run.std_dev(quantity.simulated);
  const auto it = theory.values.find(quantity.theory);
  if (it == theory.values.end() || it->second.size() != mean.size())
    throw std::invalid_argument(fmt::format("theory has no series '{}' on the simulation's {} times", quantity.theory,
                                            mean.size()));
  Discrepancy result;
  result.d = run.d;
  result.quantity = quantity.simulated;
  for (std::size_t i = 0; i < mean.size(); ++i) {
    const double gap = std::abs(mean[i] - it->second[i]);
    result.rms += gap * gap / mean.size();
    result.max = std::max(result.max, gap);
    result.seed_std += sd[i] / mean.size();
  }
  result.rms = std::sqrt(result.rms);
  return result;
}

PowerLawFit fit_power_law(const std::vector<double>& d, const std::vector<double>& error) {
  if (d.size() != error.size() || d.size() < 2)
    throw std::invalid_argument("a power-law fit needs at least two (d, error) points");
  const double n = static_cast<double>(d.size());
  double sx = 0, sy = 0;
  for (std::size_t i = 0; i < d.size(); ++i) {
    sx += std::log(d[i]) / n;
    sy += std::log(error[i]) / n;
  }
  double sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < d.size(); ++i) {
    sxx += (std::log(d[i]) - sx) * (std::log(d[i]) - sx);
    sxy += (std::log(d[i]) - sx) * (std::log(error[i]) - sy);
  }
  PowerLawFit fit;
  fit.exponent = sxy / sxx;
  fit.prefactor = std::exp(sy - fit.exponent * sx);
  fit.exponent_stderr = std::numeric_limits<double>::quiet_NaN();
  if (d.size() > 2) {
    double residual = 0;
    for (std::size_t i = 0; i < d.size(); ++i) {
      const double r = std::log(error[i]) - (sy + fit.exponent * (std::log(d[i]) - sx));
      residual += r * r;
    }
    fit.exponent_stderr = std::sqrt(residual / (n - 2) / sxx);
  }
  return fit;
}

}  // namespace cotdyn::compare
