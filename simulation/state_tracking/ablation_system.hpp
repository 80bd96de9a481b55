#pragma once
// docs/theory.md sections 1-3 with the [ablation] switches as a SimulatedSystem: the per-seed samplers of the
// permutation task, the general model (GeneralTransformerModel) and its measurements. Torch-free.
// make_permutation_tracking_system() builds it whenever a switch is on.
#include <memory>

#include <cotdyn/simulation/state_tracking/settings.hpp>
#include <cotdyn/simulation/simulated_system.hpp>

namespace cotdyn::simulation {

class GeneralTransformerModel;

// The general model for settings.ablation, whatever the switches (all off included: the tests check
// it against the solvable model's own code). Sets the intra-op thread count (settings.threads; 0 = one
// thread). Throws std::invalid_argument for invalid settings.
std::unique_ptr<SimulatedSystem> make_ablation_system(const SimulationSettings& settings);

// The model inside a system made by make_ablation_system (tests).
GeneralTransformerModel& general_model_of(SimulatedSystem& system);

}  // namespace cotdyn::simulation
