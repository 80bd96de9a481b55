#pragma once
// The [natbool] section (natbool.toml) and train.seeds / train.seed as simulation settings: the one
// place the model reads its keys. Torch-free.
#include <vector>

#include <cotdyn/core/config.hpp>
#include <cotdyn/simulation/natbool/settings.hpp>

namespace cotdyn::models::natbool {

// Reads and validates (std::invalid_argument naming the key).
simulation::natbool::NatboolSettings settings_of(const core::Config& config);
// natbool.signal_r, each checked (2 <= r <= m), increasing and distinct.
std::vector<int> signal_orders(const core::Config& config);

}  // namespace cotdyn::models::natbool
