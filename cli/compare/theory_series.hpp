#pragma once
// The ODE's trajectory (meanfield::TheoryResult) as the series the comparisons read, for one d.
#include "comparison_data.hpp"
#include "theory_run.hpp"

namespace cotdyn::compare {

// Columns M, alpha, R, Q, P, N, loss, step_acc_inf, rollout_acc_inf, and, when the result carries
// the logit-distribution accuracy, step_acc and rollout_acc at its first d; the lock-on time and the
// predicted rollout = 0.5 time (the d = infinity one when there is no d).
TheorySeries theory_series(const meanfield::TheoryResult& result, int d);

}  // namespace cotdyn::compare
