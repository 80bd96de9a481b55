#include "context_average.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace cotdyn::meanfield {

ContextAverages context_average(const ModelParameters& p, const CountVectors& counts, const DerivedQuantities& q) {
  const int K = p.K;
  const double A = q.discrimination, H = q.heuristic_strength;
  const double alpha = q.correct_lag_weight, beta = q.wrong_lag_weight;

  // zeta_b = H + A w_b with w_b in [0, 1]: every logit lies below `shift`, and the non-images sit at 0.
  const double shift = std::max(0.0, H + std::max(A, 0.0));
  const double image_scale = std::exp(H - shift);
  const double non_image_mass = (p.n - K) * std::exp(-shift);
  const double correct_boost = std::exp(A * alpha);
  thread_local std::vector<double> beta_power;  // beta_power[k] = exp(A beta k)
  beta_power.resize(p.L);
  const double step = std::exp(A * beta);
  beta_power[0] = 1.0;
  for (int k = 1; k < p.L; ++k) beta_power[k] = beta_power[k - 1] * step;

  double E1 = 0, E3 = 0, E4 = 0, loss = 0;
  for (int i = 0; i < counts.size(); ++i) {
    const int* c = counts.row(i);
    const double e_correct = image_scale * correct_boost * beta_power[c[0]];
    double sum_e = e_correct, sum_we = (alpha + beta * c[0]) * e_correct;
    for (int b = 1; b < K; ++b) {
      const double e = image_scale * beta_power[c[b]];
      sum_e += e;
      sum_we += beta * c[b] * e;
    }
    const double Z = sum_e + non_image_mass;
    const double rho = counts.weights[i];
    E1 += rho * sum_we / Z;
    E3 += rho * sum_e / Z;
    E4 += rho * e_correct / Z;
    // log Z_true - zeta_1 = log(Z) + shift - (H + A w_1) = log(Z / e_correct) since e_correct = exp(zeta_1 - shift).
    loss += rho * std::log(Z / e_correct);
  }
  return {E1, alpha + (1.0 - alpha) / K, E3, E4, loss};
}

}  // namespace cotdyn::meanfield
