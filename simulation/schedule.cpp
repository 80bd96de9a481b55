#include <cotdyn/simulation/schedule.hpp>

#include <algorithm>
#include <cmath>

namespace cotdyn::simulation {

std::int64_t observation_step(double t, std::int64_t steps_per_unit_time) {
  return std::llround(t * static_cast<double>(steps_per_unit_time));
}

std::vector<std::int64_t> Schedule::observation_steps() const {
  std::vector<std::int64_t> steps;
  for (double t : observation_times) steps.push_back(step_of(t));
  std::sort(steps.begin(), steps.end());
  steps.erase(std::unique(steps.begin(), steps.end()), steps.end());
  return steps;
}

}  // namespace cotdyn::simulation
