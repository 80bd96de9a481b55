#include <cotdyn/meanfield/state_tracking/context_average.hpp>

#include <algorithm>
#include <array>
#include <cmath>

namespace cotdyn::meanfield {

namespace {

// The softmax ingredients shared by the averages and the loss. exp(zeta_b - shift) for image b is
// image_scale * (b == 1 ? correct_boost : 1) * beta_power[c_b]: a handful of exponentials per call.
struct SoftmaxTables {
  double image_scale, non_image_mass, correct_boost, alpha, beta, shift;
  std::array<double, 64> small_powers;  // beta_power[k] = exp(A beta k) for short contexts, no allocation
  std::vector<double> large_powers;
  const double* beta_power;

  SoftmaxTables(const ModelParameters& p, const DerivedQuantities& q) {
    const double A = q.discrimination, H = q.heuristic_strength;
    alpha = q.correct_lag_weight;
    beta = q.wrong_lag_weight;
    // zeta_b = H + A w_b with w_b in [0, 1]: every logit lies below `shift`; the non-images sit at 0.
    shift = std::max(0.0, H + std::max(A, 0.0));
    image_scale = std::exp(H - shift);
    non_image_mass = (p.n - p.K) * std::exp(-shift);
    correct_boost = std::exp(A * alpha);
    double* powers = small_powers.data();
    if (p.L > static_cast<int>(small_powers.size())) {
      large_powers.resize(p.L);
      powers = large_powers.data();
    }
    const double step = std::exp(A * beta);
    powers[0] = 1.0;
    for (int k = 1; k < p.L; ++k) powers[k] = powers[k - 1] * step;
    beta_power = powers;
  }
};

}  // namespace

ContextAverages context_average(const ModelParameters& p, const CountVectors& counts, const DerivedQuantities& q) {
  const int K = p.K;
  const SoftmaxTables s(p, q);
  double E1 = 0, E3 = 0, E4 = 0;
  for (int i = 0; i < counts.size(); ++i) {
    const int* c = counts.row(i);
    const double e_correct = s.image_scale * s.correct_boost * s.beta_power[c[0]];
    double sum_e = e_correct, sum_we = (s.alpha + s.beta * c[0]) * e_correct;
    for (int b = 1; b < K; ++b) {
      const double e = s.image_scale * s.beta_power[c[b]];
      sum_e += e;
      sum_we += s.beta * c[b] * e;
    }
    const double rho_over_Z = counts.weights[i] / (sum_e + s.non_image_mass);
    E1 += rho_over_Z * sum_we;
    E3 += rho_over_Z * sum_e;
    E4 += rho_over_Z * e_correct;
  }
  return {E1, s.alpha + (1.0 - s.alpha) / K, E3, E4};
}

double population_loss(const ModelParameters& p, const CountVectors& counts, const DerivedQuantities& q) {
  const SoftmaxTables s(p, q);
  double loss = 0;
  for (int i = 0; i < counts.size(); ++i) {
    const int* c = counts.row(i);
    const double e_correct = s.image_scale * s.correct_boost * s.beta_power[c[0]];
    double Z = e_correct + s.non_image_mass;
    for (int b = 1; b < p.K; ++b) Z += s.image_scale * s.beta_power[c[b]];
    // log Z_true - zeta_1 = log(Z / e_correct): the shift cancels.
    loss += counts.weights[i] * std::log(Z / e_correct);
  }
  return loss;
}

double model_entropy(const ModelParameters& p, const CountVectors& counts, const DerivedQuantities& q) {
  const SoftmaxTables s(p, q);
  const double A = q.discrimination, H = q.heuristic_strength;
  double entropy = 0;
  for (int i = 0; i < counts.size(); ++i) {
    const int* c = counts.row(i);
    // With e_b = exp(zeta_b - shift) and Z_s = sum_b e_b + (n - K) exp(-shift) = Z exp(-shift):
    // -sum_b p_b log p_b - (n-K)(1/Z) log(1/Z) = log Z - sum_b p_b zeta_b (the non-images sit at 0).
    const double e_correct = s.image_scale * s.correct_boost * s.beta_power[c[0]];
    double sum_e = e_correct, sum_zeta_e = (H + A * (s.alpha + s.beta * c[0])) * e_correct;
    for (int b = 1; b < p.K; ++b) {
      const double e = s.image_scale * s.beta_power[c[b]];
      sum_e += e;
      sum_zeta_e += (H + A * s.beta * c[b]) * e;
    }
    const double Z = sum_e + s.non_image_mass;
    entropy += counts.weights[i] * (std::log(Z) + s.shift - sum_zeta_e / Z);
  }
  return entropy;
}

double noisy_population_loss(const ModelParameters& p, const CountVectors& counts, const DerivedQuantities& q) {
  const SoftmaxTables s(p, q);
  const double A = q.discrimination, H = q.heuristic_strength, eps = p.label_noise, n = p.n;
  double loss = 0;
  for (int i = 0; i < counts.size(); ++i) {
    const int* c = counts.row(i);
    const double e_correct = s.image_scale * s.correct_boost * s.beta_power[c[0]];
    double Z = e_correct + s.non_image_mass, sum_w = s.alpha + s.beta * c[0];
    for (int b = 1; b < p.K; ++b) {
      Z += s.image_scale * s.beta_power[c[b]];
      sum_w += s.beta * c[b];
    }
    // log Z - (1 - eps) zeta_1 - (eps/n) sum_b zeta_b = [log Z - zeta_1] + eps [zeta_1 - (1/n) sum_b zeta_b],
    // with zeta_b = H + A w_b.
    const double zeta_1 = H + A * (s.alpha + s.beta * c[0]);
    const double zeta_sum = p.K * H + A * sum_w;
    loss += counts.weights[i] * (std::log(Z / e_correct) + eps * (zeta_1 - zeta_sum / n));
  }
  return loss;
}

}  // namespace cotdyn::meanfield
