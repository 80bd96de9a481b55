#pragma once
// Small settings for fast tests of the simulator.
#include <cmath>

#include <filesystem>

#include <cotdyn/simulation/state_tracking/system.hpp>
#include <cotdyn/simulation/state_tracking/settings.hpp>
#include <cotdyn/simulation/state_tracking/train.hpp>

namespace cotdyn::simulation::testing {

inline SimulationSettings small_settings(int d = 32, double t_max = 5.0) {
  SimulationSettings s;
  s.task = default_permutation_task();
  s.d = d;
  s.t_max = t_max;
  s.seeds = 2;
  s.base_seed = 11;
  s.eval_sequences = 200;
  for (int i = 0; i <= 5; ++i) s.observation_times.push_back(t_max * i / 5);
  return s;
}

inline bool close(double a, double b, double tolerance) {
  return std::abs(a - b) <= tolerance * std::max(1.0, std::abs(b));
}

// A run into DIR, and its resumption, each with a system built afresh from the settings, as
// `cotdyn simulate` and `cotdyn simulate --resume` build it from the run's config.toml.
inline RunStatus start_run(const SimulationSettings& s, const std::filesystem::path& dir, const RunOptions& options) {
  const auto system = make_permutation_tracking_system(s);
  return run_simulation(*system, schedule_of(s), dir.string(), options);
}
inline RunStatus resume_run(const SimulationSettings& s, const std::filesystem::path& dir, const RunOptions& options) {
  const auto system = make_permutation_tracking_system(s);
  return resume_simulation(*system, schedule_of(s), dir.string(), options);
}

}  // namespace cotdyn::simulation::testing
