#pragma once
// The context average of docs/theory.md §4: the expectations E1..E4 over the multinomial wrong-lag
// counts, and the population loss. This is the whole cost of one ODE right-hand side.
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
double population_loss(const ModelParameters& p, const CountVectors& counts, const DerivedQuantities& q);

}  // namespace cotdyn::meanfield
