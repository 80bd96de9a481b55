// docs/theory.md §4.2 and §16: the model's entropy and the loss on noisy targets, averaged over the merged
// count classes, against the same quantities written out per count vector with an explicit softmax.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include <cotdyn/meanfield/state_tracking/context_average.hpp>
#include <cotdyn/meanfield/state_tracking/label_noise.hpp>

using namespace cotdyn::meanfield;

namespace {
struct Direct {
  double entropy, noisy_loss, loss;
};

// Every count vector, every logit: zeta_b = H + A w_b for the K images, 0 for the n - K non-images.
Direct direct(const ModelParameters& p, const DerivedQuantities& q) {
  const CountVectors counts = enumerate_count_vectors(p.K, p.L);
  Direct out{0, 0, 0};
  for (int i = 0; i < counts.size(); ++i) {
    std::vector<double> logits(p.n, 0.0);
    for (int b = 0; b < p.K; ++b)
      logits[b] = q.heuristic_strength +
                  q.discrimination * (q.wrong_lag_weight * counts.row(i)[b] + (b == 0 ? q.correct_lag_weight : 0.0));
    double top = logits[0];
    for (double z : logits) top = std::max(top, z);
    double Z = 0;
    for (double z : logits) Z += std::exp(z - top);
    const double log_Z = top + std::log(Z);
    double entropy = 0, noisy_loss = 0;
    for (int s = 0; s < p.n; ++s) {
      const double log_p = logits[s] - log_Z;
      entropy -= std::exp(log_p) * log_p;
      // target law: p_c on the correct image (state 0 here), eps/n on every other state
      const double target = s == 0 ? target_correct_probability(p) : p.label_noise / p.n;
      noisy_loss -= target * log_p;
    }
    out.entropy += counts.weights[i] * entropy;
    out.noisy_loss += counts.weights[i] * noisy_loss;
    out.loss += counts.weights[i] * (log_Z - logits[0]);
  }
  return out;
}
}  // namespace

TEST_CASE("model_entropy and noisy_population_loss equal their per-count-vector definitions") {
  for (double eps : {0.0, 0.3, 0.9}) {
    for (const OrderParameters x : {OrderParameters{}, OrderParameters{0.3, 1.2, 0.7}, OrderParameters{5.0, 3.0, 0.2},
                                    OrderParameters{9.0, 12.0, -1.0}, OrderParameters{-0.1, 0.1, 0.4}}) {
      ModelParameters p;
      p.label_noise = eps;
      const CountVectors classes = enumerate_count_classes(p.K, p.L);
      const auto q = derive(p, x);
      const Direct expected = direct(p, q);
      CAPTURE(eps);
      CAPTURE(x.teacher_alignment);
      CHECK(model_entropy(p, classes, q) == doctest::Approx(expected.entropy).epsilon(1e-12));
      CHECK(noisy_population_loss(p, classes, q) == doctest::Approx(expected.noisy_loss).epsilon(1e-12));
      CHECK(population_loss(p, classes, q) == doctest::Approx(expected.loss).epsilon(1e-12));
      // The cross-entropy against the target law is at least the target's entropy.
      CHECK(noisy_population_loss(p, classes, q) >= target_entropy(p));
    }
  }
}

TEST_CASE("at eps = 0 the noisy loss is the clean population loss, and at t = 0 the entropy is log n") {
  const ModelParameters p;
  const CountVectors classes = enumerate_count_classes(p.K, p.L);
  for (const OrderParameters x : {OrderParameters{0.3, 1.2, 0.7}, OrderParameters{5.0, 3.0, 0.2}}) {
    const auto q = derive(p, x);
    CHECK(noisy_population_loss(p, classes, q) == population_loss(p, classes, q));
  }
  CHECK(model_entropy(p, classes, derive(p, {})) == doctest::Approx(std::log(24.0)).epsilon(1e-14));
}
