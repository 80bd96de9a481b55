#pragma once
// docs/theory.md sections 1-3 as a SimulatedSystem: the per-seed samplers of the permutation task, one
// state-tracking network (the solvable model in its storage; the general model of docs/theory.md §11
// when an [ablation] switch is on), its optimiser (optimizer.hpp) and the measurements on the
// evaluation set (measure.hpp). Torch-free header.
#include <memory>

#include <cotdyn/simulation/simulated_system.hpp>
#include <cotdyn/simulation/state_tracking/settings.hpp>

namespace cotdyn::simulation {

class StateTrackingNetwork;
class StateTrackingModel;
class GeneralTransformerModel;

// Sets the intra-op thread count (intra_op_threads) and builds the system for settings.seeds seeds
// base_seed, base_seed + 1, ...: the general model when a switch is on, else the solvable model in
// settings.logic's storage. Throws std::invalid_argument for invalid settings.
std::unique_ptr<SimulatedSystem> make_permutation_tracking_system(const SimulationSettings& settings);

// The general model whatever the switches (all off included: the tests hold it to the solvable model).
std::unique_ptr<SimulatedSystem> make_ablation_system(const SimulationSettings& settings);

// The network inside a system made by either function (tests and notebooks); model_of and
// general_model_of throw std::bad_cast for the other kind.
StateTrackingNetwork& network_of(SimulatedSystem& system);
StateTrackingModel& model_of(SimulatedSystem& system);
GeneralTransformerModel& general_model_of(SimulatedSystem& system);

}  // namespace cotdyn::simulation
