#pragma once
// The context average of docs/theory.md §4: the expectations E1..E4 over the multinomial wrong-lag
// counts, and the population loss. This is the whole cost of one ODE right-hand side. The model's
// entropy and the loss on noisy targets (§16) are averages over the same count classes.
#include <cotdyn/meanfield/state_tracking/count_vectors.hpp>
#include <cotdyn/meanfield/state_tracking/order_parameters.hpp>

namespace cotdyn::meanfield {

struct ContextAverages {
  double weighted_probability;  // E1 = E[sum_b w_b p_b]
  double correct_weight;        // E2 = E[w_1] = alpha + (1 - alpha)/K
  double image_probability;     // E3 = E[sum_b p_b]
  double correct_probability;   // E4 = E[p_1]
};

// Softmax over the K image logits zeta_b and the n - K non-image logits 0, shifted by the largest
// possible logit so that nothing overflows. Powers of exp(A beta) are tabulated once per call.
ContextAverages context_average(const ModelParameters& p, const CountVectors& counts, const DerivedQuantities& q);

// The population loss E[log Z - zeta_1]: kept out of the right-hand side, which does not need it.
// It is the loss on clean targets (the evaluation's), whatever p.label_noise is.
double population_loss(const ModelParameters& p, const CountVectors& counts, const DerivedQuantities& q);

// The entropy of the model's predictive distribution, E[-sum_b p_b log p_b - (n-K)(1/Z) log(1/Z)]: the K
// images at p_b, each non-image at 1/Z (docs/theory.md §16).
double model_entropy(const ModelParameters& p, const CountVectors& counts, const DerivedQuantities& q);

// The population loss on the noisy training targets of docs/theory.md §16 (eps = p.label_noise),
// E[log Z - (1-eps) zeta_1 - (eps/n) sum_b zeta_b]; its infimum is the target entropy. Equal to
// population_loss() at eps = 0.
double noisy_population_loss(const ModelParameters& p, const CountVectors& counts, const DerivedQuantities& q);

}  // namespace cotdyn::meanfield
