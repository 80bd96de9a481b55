#pragma once
// Small settings for fast tests of the simulator.
#include <cmath>

#include "settings.hpp"

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

}  // namespace cotdyn::simulation::testing
