#pragma once
// The committee machine's specialisation time per seed in `compare` (docs/models/committee.md §6,
// §8.7): the rule of §6 on each seed's measured overlaps, beside the t_spec of that seed's own ODE and
// the theory's (the seed mean of the per-seed ODEs'). Torch-free.
#include <cstdint>
#include <limits>
#include <vector>

#include <cotdyn/meanfield/committee/parameters.hpp>
#include <cotdyn/models/comparison.hpp>

namespace cotdyn::models::committee {

// The order parameters of row `row` of one seed's measurements: Q from Q_i_k (i <= k), R from R_i_n,
// T from T_n_m (n <= m), v from v_i.
meanfield::committee::State measured_state(const Trajectory& seed, std::size_t row, int K, int M);

// The specialisation time of one seed's measurements: the rule of §6 (meanfield::committee::is_specialised,
// r_in = R_in / sqrt(Q_ii T_nn) with the measured Q, R, T) at each observation time; the first time it
// holds, NaN if none. Its resolution is the observation grid's.
double measured_t_spec(const Trajectory& seed, int K, int M);

struct SeedSpecialisation {
  int size = 0;  // N
  std::uint64_t seed = 0;
  double simulation = std::numeric_limits<double>::quiet_NaN();  // measured_t_spec
  double own_ode = std::numeric_limits<double>::quiet_NaN();     // the seed's ODE from its measured start
  double mean_ode = std::numeric_limits<double>::quiet_NaN();    // the theory's milestone t_spec at N
};

// Adds specialisation_times.csv (N, seed, t_spec_simulation, t_spec_own_ode, t_spec_mean_ode; an empty
// cell: not reached), the report's section (the table, and per N the mean and s.d. (ddof 0) over the
// seeds where both are reached of t_spec_simulation - t_spec_own_ode and of t_spec_simulation -
// t_spec_mean_ode) and results["specialisation_times"][N] (per seed and the summary).
void add_specialisation_times(const std::vector<SeedSpecialisation>& rows, ComparisonAdditions& added);

}  // namespace cotdyn::models::committee
