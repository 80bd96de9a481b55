#pragma once
// Config -> simulation::SimulationSettings, for the commands that train (simulate, compare).
#include "config.hpp"
#include "settings.hpp"

namespace cotdyn::cli {

// Every field from its config key; validated (errors name the key).
simulation::SimulationSettings resolve_simulation_settings(const Config& config);

}  // namespace cotdyn::cli
