#pragma once
// Config -> the simulator's inputs, shared by every command, sweep and notebook that trains
// (simulate, compare, sweep, ablate), and the simulator's results -> compare's per-seed series.
#include "comparison_data.hpp"
#include "config.hpp"
#include "measurement.hpp"
#include "settings.hpp"

namespace cotdyn::cli {

// Every field from its config key; validated (errors name the key).
// [ablation] switches included (all off: the solvable model).
simulation::SimulationSettings resolve_simulation_settings(const Config& config);

// The [ablation] section alone, validated for model dimension d and context length L.
simulation::AblationSettings resolve_ablation_settings(const Config& config, int d, int L);

// TrainingResult rows (seed, t, values) -> per-seed time series of one d, as `cotdyn compare`
// arranges them. A seed stopped early by a non-finite value (fewer rows) is left out.
compare::SimulatedRun to_simulated_run(const simulation::TrainingResult& result, int d);

}  // namespace cotdyn::cli
