#pragma once
// Turns a core::Config into the typed inputs of the libraries, checking every value on the way.
#include <optional>
#include <vector>

#include <cotdyn/core/config.hpp>
#include <cotdyn/meanfield/state_tracking/parameters.hpp>
#include <cotdyn/meanfield/state_tracking/theory_run.hpp>
#include <cotdyn/simulation/state_tracking/permutation_task.hpp>

namespace cotdyn::models::state_tracking {

// The permutation task of [task], or nothing when the task is given by n and K alone.
std::optional<task::PermutationTask> resolve_task(const core::Config& config);

// n and K from the group and actions, or from task.n / task.K when those are set.
meanfield::ModelParameters resolve_model_parameters(const core::Config& config);
meanfield::Tolerances resolve_tolerances(const core::Config& config);

// theory.finite_size: nothing for "none" (the d = infinity ODE); for "gram" the Gram flow of
// docs/theory.md §4.8 with theory.gram_draws draws from train.seed, which needs the task's group.
std::optional<meanfield::FiniteSizeTheory> resolve_finite_size(const core::Config& config);

}  // namespace cotdyn::models::state_tracking
