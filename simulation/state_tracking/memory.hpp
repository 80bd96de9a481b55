#pragma once
// The memory a state-tracking run allocates, from its settings alone (nothing is allocated): the
// arrays that grow with seeds, d, n, K and L. Torch-free. Held to the peak resident size of real
// runs by tests/cli/simulate_command_test.cpp.
#include <cotdyn/core/memory.hpp>
#include <cotdyn/simulation/state_tracking/settings.hpp>

namespace cotdyn::simulation {

core::MemoryEstimate memory_estimate(const SimulationSettings& settings);

}  // namespace cotdyn::simulation
