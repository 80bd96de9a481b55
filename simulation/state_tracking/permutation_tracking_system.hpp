#pragma once
// docs/theory.md sections 1-3 as a SimulatedSystem: per-seed samplers of the permutation task, the batched
// state-tracking model (coefficient or tensor storage) and the measurements on the evaluation set.
#include <memory>

#include <cotdyn/simulation/state_tracking/settings.hpp>
#include <cotdyn/simulation/simulated_system.hpp>

namespace cotdyn::simulation {

class StateTrackingModel;

// Sets the intra-op thread count (0 = core count) and builds the system for settings.seeds seeds
// base_seed, base_seed + 1, ... With an [ablation] switch on, the system of the general model
// (make_ablation_system). Throws std::invalid_argument for invalid settings.
std::unique_ptr<SimulatedSystem> make_permutation_tracking_system(const SimulationSettings& settings);

// The model inside a system made by make_permutation_tracking_system with every switch off (tests and
// notebooks); std::bad_cast for the general model (general_model_of() in ablation_system.hpp).
StateTrackingModel& model_of(SimulatedSystem& system);

}  // namespace cotdyn::simulation
