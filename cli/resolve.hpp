#pragma once
// Turns a Config into the typed inputs of the libraries, checking every value on the way.
#include <optional>
#include <vector>

#include "config.hpp"
#include "parameters.hpp"
#include "permutation_task.hpp"

namespace cotdyn::cli {

// The permutation task of [task], or nothing when the task is given by n and K alone.
std::optional<task::PermutationTask> resolve_task(const Config& config);

// n and K from the group and actions, or from task.n / task.K when those are set.
meanfield::ModelParameters resolve_model_parameters(const Config& config);
meanfield::Tolerances resolve_tolerances(const Config& config);
double resolve_t_max(const Config& config);
std::vector<double> resolve_observation_times(const Config& config);

}  // namespace cotdyn::cli
