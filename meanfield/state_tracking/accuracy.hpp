#pragma once
// Accuracy predictions from the order parameters (docs/theory.md §5).
#include <cotdyn/meanfield/state_tracking/count_vectors.hpp>
#include <cotdyn/meanfield/state_tracking/gauss_hermite.hpp>
#include <cotdyn/meanfield/state_tracking/order_parameters.hpp>

namespace cotdyn::meanfield {

// Per-query logit variances of the first-order perturbation in the embedding overlaps, averaged over
// the count vectors: correct image (V_1), one competitor image (V_2), one non-image (V_o). They scale as 1/d.
struct LogitVariances {
  double correct_image;
  double competitor_image;
  double non_image;
};

class AccuracyModel {
 public:
  explicit AccuracyModel(const ModelParameters& parameters, int quadrature_points = 16);

  // d = infinity: the step is right iff the correct image has the strictly largest logit (ties split).
  double step_accuracy_noise_free(const OrderParameters& x) const;

  LogitVariances logit_variances(const OrderParameters& x, double d) const;

  // The logit-distribution approximation at embedding dimension d (any d >= 1).
  double step_accuracy(const OrderParameters& x, double d) const;

  // Exact-match rollout over the L steps: steps are independent given the order parameters.
  double rollout_accuracy(double step_accuracy) const;

  // The model's mean entropy at embedding dimension d (docs/theory.md §16.3): the entropy of
  // softmax(zeta + noise) averaged over the logit noise of the LD approximation (the same variances as
  // step_accuracy) by Monte Carlo, `samples` draws per count class from a fixed generator, the same
  // draws for every class and state (so the curve in t is smooth). Tends to model_entropy() as d grows.
  double entropy(const OrderParameters& x, double d, int samples = 512) const;

  // The accuracy of the rollout's last state (docs/theory.md §5.3): a two-state chain over the L steps,
  // on track or off, where each step is right with probability p independently and a wrong step lands
  // uniformly on one of the n - 1 wrong states. 1/n + (1 - 1/n) ((n p - 1) / (n - 1))^L.
  double final_state_accuracy(double step_accuracy) const;

  const ModelParameters& parameters() const { return parameters_; }

 private:
  ModelParameters parameters_;
  CountVectors counts_;
  QuadratureRule quadrature_;
};

}  // namespace cotdyn::meanfield
