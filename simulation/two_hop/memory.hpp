#pragma once
// What a two-hop run allocates, from its settings alone (docs/models.md, simulation_memory). Torch-free.
#include <cotdyn/core/memory.hpp>
#include <cotdyn/simulation/two_hop/settings.hpp>

namespace cotdyn::simulation::two_hop {

core::MemoryEstimate memory_estimate(const TwoHopSettings& s);

}  // namespace cotdyn::simulation::two_hop
