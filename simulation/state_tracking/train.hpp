#pragma once
// The state-tracking model trained from its resolved settings (tests, notebooks, sweeps, ablations):
// its system (make_permutation_tracking_system) on its schedule, through the generic loop.
#include <cotdyn/simulation/state_tracking/settings.hpp>
#include <cotdyn/simulation/training_loop.hpp>

namespace cotdyn::simulation {

// t = steps / d, observed at settings.observation_times, seeds from settings.base_seed.
Schedule schedule_of(const SimulationSettings& settings);

TrainingResult train(const SimulationSettings& settings, const RunOptions& options = {});

}  // namespace cotdyn::simulation
