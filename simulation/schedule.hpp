#pragma once
// When a simulated system trains and is observed, whatever the model: t = step / steps_per_unit_time
// (the model's size: d, N, ...), observations at steps round(t * steps_per_unit_time), the run ends
// at t_max. Seed e of the system trains with base_seed + e. Torch-free.
#include <cstdint>
#include <string>
#include <vector>

namespace cotdyn::simulation {

// Step at which time t is observed: round(t * steps_per_unit_time).
std::int64_t observation_step(double t, std::int64_t steps_per_unit_time);

struct Schedule {
  std::int64_t steps_per_unit_time = 1;
  double t_max = 0;
  std::vector<double> observation_times;  // sorted, in [0, t_max]
  std::uint64_t base_seed = 0;
  std::int64_t size = 0;           // the size column's value; 0: steps_per_unit_time
  std::string size_column = "d";  // the size's column in simulation.csv and checkpoints ("d", "N")

  std::int64_t step_of(double t) const { return observation_step(t, steps_per_unit_time); }
  // The distinct observation steps, increasing.
  std::vector<std::int64_t> observation_steps() const;
  std::int64_t final_step() const { return step_of(t_max); }
  std::int64_t size_value() const { return size > 0 ? size : steps_per_unit_time; }
};

}  // namespace cotdyn::simulation
