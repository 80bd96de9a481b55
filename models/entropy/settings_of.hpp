#pragma once
// The entropy study's settings from a config (models/entropy/entropy.toml and the state-tracking keys it
// reuses), validated: std::invalid_argument names the key, the value and what is allowed.
#include <cotdyn/core/config.hpp>
#include <cotdyn/simulation/entropy/settings.hpp>

namespace cotdyn::models::entropy {

simulation::entropy::EntropySettings settings_of(const core::Config& config);

}  // namespace cotdyn::models::entropy
