#pragma once
// The noisy training target of docs/theory.md §16: with probability eps = task.label_noise the target
// of a query is replaced by a state drawn uniformly from all n (possibly the correct one), so its law is
// p_c = 1 - eps + eps/n on the correct image and eps/n on each other state. Evaluation stays clean.
#include <cotdyn/meanfield/state_tracking/parameters.hpp>

namespace cotdyn::meanfield {

// p_c = 1 - eps + eps/n: the probability of the correct image under the noisy target, which a
// calibrated model predicts at the fixed point.
double target_correct_probability(const ModelParameters& p);

// H_target = -p_c log p_c - (n-1)(eps/n) log(eps/n) in nats (0 at eps = 0): the infimum of the
// noisy population loss, the entropy a calibrated model has at the fixed point.
double target_entropy(const ModelParameters& p);

}  // namespace cotdyn::meanfield
