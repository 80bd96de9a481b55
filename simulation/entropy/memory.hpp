#pragma once
// The memory the entropy study allocates, from its settings alone: every variant's state-tracking run
// (simulation/state_tracking/memory.hpp; the variants live side by side) and the study's own arrays.
// Torch-free header; held to the peak resident size of a real run by tests/cli/simulate_command_test.cpp.
#include <cotdyn/core/memory.hpp>
#include <cotdyn/simulation/entropy/settings.hpp>

namespace cotdyn::simulation::entropy {

core::MemoryEstimate memory_estimate(const EntropySettings& settings);

}  // namespace cotdyn::simulation::entropy
