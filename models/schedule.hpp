#pragma once
// A model's training schedule from the config: its steps per unit of time, train.t_max,
// observe.times, train.seed (seed e trains with train.seed + e), train.seeds and its size column.
#include <cotdyn/core/config.hpp>
#include <cotdyn/models/model.hpp>
#include <cotdyn/simulation/schedule.hpp>

namespace cotdyn::models {

simulation::Schedule schedule(const Model& model, const core::Config& config);

// train.seed, checked (>= 0): seed e of a run trains with it + e.
std::uint64_t base_seed(const core::Config& config);

}  // namespace cotdyn::models
