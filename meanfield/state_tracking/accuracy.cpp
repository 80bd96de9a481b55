#include <cotdyn/meanfield/state_tracking/accuracy.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

namespace cotdyn::meanfield {

namespace {
constexpr double tie_tolerance = 1e-12;

// P(mean + noise > 0) for Gaussian noise of the given variance; a step function when it vanishes.
double probability_positive(double mean, double variance) {
  if (variance > 0) return 0.5 * std::erfc(-mean / std::sqrt(2.0 * variance));
  return mean > 0 ? 1.0 : (mean < 0 ? 0.0 : 0.5);
}

// w_b = alpha delta_b1 + beta c_b for one count vector.
void action_weights(const DerivedQuantities& q, const int* c, int K, std::vector<double>& w) {
  w.resize(K);
  for (int b = 0; b < K; ++b) w[b] = q.wrong_lag_weight * c[b];
  w[0] += q.correct_lag_weight;
}

// tau(C_1..C_K) = sum_{a<b} (C_a w_b + C_b w_a)^2 with C_a = special for a == special_index, else common.
double overlap_term(const std::vector<double>& w, int special_index, double special, double common) {
  double tau = 0;
  const int K = static_cast<int>(w.size());
  for (int a = 0; a < K; ++a) {
    const double Ca = a == special_index ? special : common;
    for (int b = a + 1; b < K; ++b) {
      const double Cb = b == special_index ? special : common;
      const double term = Ca * w[b] + Cb * w[a];
      tau += term * term;
    }
  }
  return tau;
}
}  // namespace

AccuracyModel::AccuracyModel(const ModelParameters& parameters, int quadrature_points)
    : parameters_(parameters),
      counts_(enumerate_count_vectors(parameters.K, parameters.L)),
      quadrature_(gauss_hermite_rule(quadrature_points)) {
  validate(parameters_);
}

double AccuracyModel::step_accuracy_noise_free(const OrderParameters& x) const {
  const int K = parameters_.K;
  const DerivedQuantities q = derive(parameters_, x);
  std::vector<double> w;
  double accuracy = 0;
  for (int i = 0; i < counts_.size(); ++i) {
    action_weights(q, counts_.row(i), K, w);
    const double zeta1 = q.heuristic_strength + q.discrimination * w[0];
    double top = 0;  // the non-images' logit, measured from P
    for (int b = 1; b < K; ++b) top = std::max(top, q.heuristic_strength + q.discrimination * w[b]);
    double credit = 0;
    if (zeta1 > top + tie_tolerance) {
      credit = 1;
    } else if (std::abs(zeta1 - top) <= tie_tolerance) {
      int tied = 1;
      for (int b = 1; b < K; ++b)
        tied += std::abs(q.heuristic_strength + q.discrimination * w[b] - zeta1) <= tie_tolerance ? 1 : 0;
      if (std::abs(zeta1) <= tie_tolerance) tied += parameters_.n - K;
      credit = 1.0 / tied;
    }
    accuracy += counts_.weights[i] * credit;
  }
  return accuracy;
}

LogitVariances AccuracyModel::logit_variances(const OrderParameters& x, double d) const {
  const int K = parameters_.K, non_images = parameters_.n - K;
  const DerivedQuantities q = derive(parameters_, x);
  const double R = x.teacher_alignment, Q = x.offtarget_overlap, P = q.other_overlap;
  std::vector<double> w;
  LogitVariances v{0, 0, 0};
  for (int i = 0; i < counts_.size(); ++i) {
    action_weights(q, counts_.row(i), K, w);
    double total = non_images * P * P;  // S_tot = sum_b zbar_b^2 + (n-K) P^2
    for (int b = 0; b < K; ++b) total += (Q + q.discrimination * w[b]) * (Q + q.discrimination * w[b]);
    const double z1 = Q + q.discrimination * w[0], z2 = Q + q.discrimination * w[1];
    const double rho = counts_.weights[i];
    // Unembedding overlaps and input overlaps contribute (S_tot - zbar^2) each; action overlaps give tau.
    v.correct_image += rho * (2 * (total - z1 * z1) + overlap_term(w, 0, R, Q));
    v.competitor_image += rho * (2 * (total - z2 * z2) + overlap_term(w, 1, R, Q));
    v.non_image += rho * (2 * (total - P * P) + overlap_term(w, -1, P, P));
  }
  v.correct_image /= d;
  v.competitor_image /= d;
  v.non_image /= d;
  return v;
}

double AccuracyModel::step_accuracy(const OrderParameters& x, double d) const {
  if (!(d >= 1))
    throw std::invalid_argument(fmt::format("model.d = {}: the accuracy prediction needs d >= 1", d));
  const LogitVariances v = logit_variances(x, d);
  if (v.correct_image == 0 && v.competitor_image == 0 && v.non_image == 0) return step_accuracy_noise_free(x);

  const int K = parameters_.K, non_images = parameters_.n - K;
  const DerivedQuantities q = derive(parameters_, x);
  const double sd_correct = std::sqrt(v.correct_image);
  const std::size_t nodes = quadrature_.nodes.size();
  const int L = parameters_.L;
  const double H = q.heuristic_strength, A = q.discrimination;
  // Every factor of the integrand depends on one count at a time: the correct image's on c_1, each
  // competitor's on (c_1, c_b). Both are tabulated over the counts once (the same expressions, so the
  // same values), and the sum below multiplies them in the loops' order: the result is the plain
  // loop's, bit for bit, with about K (L+1)/2 / C(L+K-2, K-1) of its erfc calls. Long contexts with few
  // count vectors (K = 2) keep the plain loop.
  const std::size_t pairs = static_cast<std::size_t>(L) * (L + 1) / 2;
  const bool tabulate = pairs <= static_cast<std::size_t>(counts_.size()) * (K - 1) && pairs * nodes <= (1u << 20);
  std::vector<double> correct_factor, competitor_factor;  // [c_1][k], [pair(c_1, c_b)][k]
  std::vector<std::size_t> pair_start;                    // index of pair (c_1, 0)
  if (tabulate) {
    correct_factor.resize(static_cast<std::size_t>(L) * nodes);
    competitor_factor.resize(pairs * nodes);
    pair_start.resize(static_cast<std::size_t>(L));
    std::size_t pair = 0;
    for (int c1 = 0; c1 < L; ++c1) {
      pair_start[c1] = pair;
      double w0 = q.wrong_lag_weight * c1;  // action_weights(): w_1 = beta c_1, then + alpha
      w0 += q.correct_lag_weight;
      const double zeta1 = H + A * w0;
      for (std::size_t k = 0; k < nodes; ++k) {
        const double correct_logit = zeta1 + sd_correct * quadrature_.nodes[k];
        correct_factor[c1 * nodes + k] = std::pow(probability_positive(correct_logit, v.non_image), non_images);
        for (int cb = 0; cb + c1 < L; ++cb)
          competitor_factor[(pair + cb) * nodes + k] =
              probability_positive(correct_logit - (H + A * (q.wrong_lag_weight * cb)), v.competitor_image);
      }
      pair += static_cast<std::size_t>(L - c1);
    }
  }
  std::vector<double> w;
  double accuracy = 0;
  for (int i = 0; i < counts_.size(); ++i) {
    const int* c = counts_.row(i);
    double integral = 0;
    if (tabulate) {
      const double* correct = correct_factor.data() + static_cast<std::size_t>(c[0]) * nodes;
      for (std::size_t k = 0; k < nodes; ++k) {
        double win = correct[k];
        for (int b = 1; b < K; ++b) win *= competitor_factor[(pair_start[c[0]] + c[b]) * nodes + k];
        integral += quadrature_.weights[k] * win;
      }
    } else {
      action_weights(q, c, K, w);
      const double zeta1 = H + A * w[0];
      for (std::size_t k = 0; k < nodes; ++k) {
        const double correct_logit = zeta1 + sd_correct * quadrature_.nodes[k];
        double win = std::pow(probability_positive(correct_logit, v.non_image), non_images);
        for (int b = 1; b < K; ++b) win *= probability_positive(correct_logit - (H + A * w[b]), v.competitor_image);
        integral += quadrature_.weights[k] * win;
      }
    }
    accuracy += counts_.weights[i] * integral;
  }
  return accuracy;
}

double AccuracyModel::entropy(const OrderParameters& x, double d, int samples) const {
  const int K = parameters_.K, n = parameters_.n;
  const LogitVariances v = logit_variances(x, d);
  const double sd[3] = {std::sqrt(v.correct_image), std::sqrt(v.competitor_image), std::sqrt(v.non_image)};
  std::mt19937_64 generator(20261202);
  std::normal_distribution<double> normal;
  std::vector<double> noise(static_cast<std::size_t>(samples) * n);
  for (double& g : noise) g = normal(generator);
  const DerivedQuantities q = derive(parameters_, x);
  std::vector<double> w, z(n);
  double entropy = 0;
  for (int i = 0; i < counts_.size(); ++i) {
    action_weights(q, counts_.row(i), K, w);
    double sum = 0;
    for (int s = 0; s < samples; ++s) {
      const double* g = noise.data() + static_cast<std::size_t>(s) * n;
      // Logits measured from P (section 5.2): images zeta_b = H + A w_b, non-images 0, each with its noise.
      double top = -INFINITY;
      for (int j = 0; j < n; ++j) {
        const double mean = j < K ? q.heuristic_strength + q.discrimination * w[j] : 0.0;
        z[j] = mean + sd[j == 0 ? 0 : (j < K ? 1 : 2)] * g[j];
        top = std::max(top, z[j]);
      }
      // H = log Z - sum_j p_j z_j, with the shift by the largest logit.
      double partition = 0, weighted = 0;
      for (int j = 0; j < n; ++j) {
        const double e = std::exp(z[j] - top);
        partition += e;
        weighted += e * (z[j] - top);
      }
      sum += std::log(partition) - weighted / partition;
    }
    entropy += counts_.weights[i] * sum / samples;
  }
  return entropy;
}

double AccuracyModel::rollout_accuracy(double step_accuracy) const {
  return std::pow(step_accuracy, parameters_.L);
}

double AccuracyModel::final_state_accuracy(double step_accuracy) const {
  const double n = parameters_.n;
  return 1 / n + (1 - 1 / n) * std::pow((n * step_accuracy - 1) / (n - 1), parameters_.L);
}

}  // namespace cotdyn::meanfield
