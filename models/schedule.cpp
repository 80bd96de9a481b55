#include <cotdyn/models/schedule.hpp>

#include <stdexcept>

#include <fmt/format.h>

#include <cotdyn/core/observation_grid.hpp>

namespace cotdyn::models {

simulation::Schedule schedule(const Model& model, const core::Config& config) {
  simulation::Schedule s;
  s.steps_per_unit_time = model.steps_per_unit_time(config);
  s.t_max = core::resolve_t_max(config);
  s.observation_times = core::resolve_observation_times(config);
  s.base_seed = base_seed(config);
  s.size = model.size_value(config);
  s.size_column = model.size_column();
  return s;
}

std::uint64_t base_seed(const core::Config& config) {
  const auto seed = config.get_integer("train.seed");
  if (seed < 0) throw std::invalid_argument(fmt::format("train.seed = {}: must be >= 0", seed));
  return static_cast<std::uint64_t>(seed);
}

}  // namespace cotdyn::models
