#pragma once
// The memory a tree run allocates, from its settings alone (nothing is allocated). Torch-free. Held
// to the peak resident size of real runs by tests/cli/simulate_command_test.cpp.
#include <cotdyn/core/memory.hpp>
#include <cotdyn/simulation/tree/settings.hpp>

namespace cotdyn::simulation::tree {

core::MemoryEstimate memory_estimate(const TreeSettings& settings);

}  // namespace cotdyn::simulation::tree
