#include <cotdyn/simulation/state_tracking/train.hpp>

#include <cotdyn/simulation/state_tracking/system.hpp>

namespace cotdyn::simulation {

Schedule schedule_of(const SimulationSettings& settings) {
  Schedule schedule;
  schedule.steps_per_unit_time = settings.d;
  schedule.t_max = settings.t_max;
  schedule.observation_times = settings.observation_times;
  schedule.base_seed = settings.base_seed;
  return schedule;
}

TrainingResult train(const SimulationSettings& settings, const RunOptions& options) {
  const auto system = make_permutation_tracking_system(settings);
  return train(*system, schedule_of(settings), options);
}

}  // namespace cotdyn::simulation
