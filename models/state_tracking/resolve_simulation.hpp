#pragma once
// core::Config -> the simulator's inputs, shared by every command, sweep and notebook that trains
// (simulate, compare, sweep, ablate).
#include <cotdyn/core/config.hpp>
#include <cotdyn/simulation/measurement.hpp>
#include <cotdyn/simulation/state_tracking/settings.hpp>

namespace cotdyn::models::state_tracking {

// Every field from its config key; validated (errors name the key).
// [ablation] switches included (all off: the solvable model).
simulation::SimulationSettings resolve_simulation_settings(const core::Config& config);

// The [ablation] section alone, validated for model dimension d and context length L.
simulation::AblationSettings resolve_ablation_settings(const core::Config& config, int d, int L);

}  // namespace cotdyn::models::state_tracking
