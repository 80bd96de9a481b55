#pragma once
// Milestone times read off sampled curves (the method of docs/theory.md §7): the first upward crossing of a
// level, interpolating linearly between observation times (log-linearly for the attention score M).
#include <vector>

#include <cotdyn/analysis/compare/comparison_data.hpp>

namespace cotdyn::compare {

enum class Interpolation { linear, logarithmic };

// First t where y crosses `level` upwards; NaN if it never does. With logarithmic interpolation
// log y is interpolated where both neighbours are positive (M grows exponentially before lock-on).
double first_crossing(const std::vector<double>& t, const std::vector<double>& y, double level,
                      Interpolation interpolation = Interpolation::linear);

// y at time `at`, linear between observation times; NaN outside [t.front(), t.back()] or for a
// non-finite `at` (a milestone read at a time that does not exist, e.g. t_1/2 / 2 with no lock-on).
double interpolated_value(const std::vector<double>& t, const std::vector<double>& y, double at);

struct LockOnTimes {
  std::vector<double> per_seed;   // first crossing of M = M_1/2 in each seed (NaN if none)
  double mean = 0, std_dev = 0;   // over the seeds that locked on (ddof 0)
  int locked_seeds = 0;
  double mean_alpha_crossing = 0; // crossing of the seed-mean measured alpha = 1/2
  double theory_sampled = 0;      // the ODE's M sampled on the same times, same method
};

LockOnTimes lock_on_times(const SimulatedRun& run, const TheorySeries& theory, int L);

}  // namespace cotdyn::compare
