#pragma once
// The ODE's trajectory (meanfield::TheoryResult) as the series the comparisons read, for one d.
#include <cotdyn/analysis/compare/comparison_data.hpp>
#include <cotdyn/meanfield/state_tracking/theory_run.hpp>

namespace cotdyn::compare {

// Columns M, alpha, R, Q, P, N, loss, step_acc_inf, rollout_acc_inf, and, when the result carries
// the logit-distribution accuracy, step_acc_ld and rollout_acc_ld at its first d; the lock-on time and the
// predicted rollout = 0.5 time (the d = infinity one when there is no d). With label noise also p_correct,
// entropy, target_entropy and noisy_loss (docs/theory.md §16).
TheorySeries theory_series(const meanfield::TheoryResult& result, int d);

}  // namespace cotdyn::compare
