#include <cotdyn/meanfield/state_tracking/plateau_estimate.hpp>

#include <cmath>

#include <cotdyn/meanfield/state_tracking/order_parameters.hpp>

namespace cotdyn::meanfield {

// Label noise (docs/theory.md §16): at uniform p the mean target minus p is (1 - eps) times the clean
// one, so the early logic slopes carry a factor 1 - eps and the attention force (1 - eps)^2.
double lock_on_time_estimate(const ModelParameters& p) {
  const double growth = std::asinh(lock_on_retrieval(p.L) / p.sigma2);
  return p.K * p.L * std::sqrt(p.n * growth / ((p.K - 1) * p.eta_A * p.eta_W)) / (1.0 - p.label_noise);
}

double initial_alignment_slope(const ModelParameters& p) {
  const double alpha = 1.0 / p.L;
  return p.eta_W / (p.n * p.K) * (alpha + (1 - alpha) / p.K - 1.0 / p.n) * (1.0 - p.label_noise);
}

double initial_offtarget_slope(const ModelParameters& p) {
  const double alpha = 1.0 / p.L;
  return p.eta_W / (p.n * p.K) * ((1 - alpha) / p.K - 1.0 / p.n) * (1.0 - p.label_noise);
}

}  // namespace cotdyn::meanfield
