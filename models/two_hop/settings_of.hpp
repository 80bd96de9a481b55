#pragma once
// The two-hop experiment's settings from a resolved config (docs/models/two_hop.md §7): the
// [two_hop] keys, train.seeds and train.seed, validated (simulation/two_hop/settings.hpp).
#include <cotdyn/core/config.hpp>
#include <cotdyn/simulation/two_hop/settings.hpp>

namespace cotdyn::models::two_hop {

simulation::two_hop::TwoHopSettings settings_of(const core::Config& config);

}  // namespace cotdyn::models::two_hop
