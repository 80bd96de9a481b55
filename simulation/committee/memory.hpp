#pragma once
// The memory a committee-machine run allocates, from its settings alone (nothing is allocated).
// Torch-free. Held to the peak resident size of real runs by tests/cli/simulate_command_test.cpp.
#include <cotdyn/core/memory.hpp>
#include <cotdyn/simulation/committee/settings.hpp>

namespace cotdyn::simulation::committee {

core::MemoryEstimate memory_estimate(const CommitteeSettings& settings);

}  // namespace cotdyn::simulation::committee
