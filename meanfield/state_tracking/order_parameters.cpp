#include <cotdyn/meanfield/state_tracking/order_parameters.hpp>

#include <cmath>

namespace cotdyn::meanfield {

DerivedQuantities derive(const ModelParameters& p, const OrderParameters& x) {
  DerivedQuantities q;
  const double M = x.attention_retrieval, R = x.teacher_alignment, Q = x.offtarget_overlap;
  q.other_overlap = -(R + (p.K - 1) * Q) / (p.n - p.K) + 0.0;  // + 0.0: no negative zero at t = 0
  q.discrimination = R - Q;
  q.heuristic_strength = Q - q.other_overlap;
  q.qk_norm = std::hypot(M, p.sigma2);
  const double lag_ratio = static_cast<double>(p.L) / (p.L - 1);
  q.correct_lag_weight = 1.0 / (1.0 + (p.L - 1) * std::exp(-lag_ratio * M));
  q.wrong_lag_weight = (1.0 - q.correct_lag_weight) / (p.L - 1);
  return q;
}

double lock_on_retrieval(int L) { return (L - 1.0) / L * std::log(L - 1.0); }

}  // namespace cotdyn::meanfield
