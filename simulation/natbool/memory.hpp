#pragma once
// The memory a Boolean-DAG run allocates, from its settings alone (nothing is allocated). Torch-free.
#include <cotdyn/core/memory.hpp>
#include <cotdyn/simulation/natbool/settings.hpp>

namespace cotdyn::simulation::natbool {

core::MemoryEstimate memory_estimate(const NatboolSettings& settings);

}  // namespace cotdyn::simulation::natbool
