#pragma once
// The finite-d theory of docs/theory.md §4.8 over several Gram draws: GramFlow integrated with the
// ODE's dense-output Dormand-Prince stepper, observed at the requested times, averaged over draws.
#include <cstdint>
#include <vector>

#include <cotdyn/meanfield/state_tracking/gram_flow.hpp>

namespace cotdyn::meanfield {

// theory.finite_size = "gram": the task's transitions and the draws to average. The default of the
// draws is the embedded config's theory.gram_draws.
struct FiniteSizeTheory {
  std::vector<std::vector<int>> transition;  // transition[a][s]
  int draws = 1;                             // theory.gram_draws
  std::uint64_t seed = 0;                    // train.seed: draw k uses seed + k
};

// The flow's tolerances: far below the draw-to-draw scatter (docs/theory.md §4.8).
inline constexpr Tolerances gram_tolerances{1e-6, 1e-9};

// theory.gram_draws in [1, 1000]: std::invalid_argument naming the key otherwise.
void validate_gram_draws(long long draws);

// One draw's trajectory at the observation times, and its lock-on time (alpha = 1/2, NaN if not reached).
struct GramTrajectory {
  std::vector<GramObservables> rows;
  double lock_on_time;
  long steps = 0;
};

// Draw mean and s.d. (ddof 1; 0 with one draw) of each observable at each time.
struct GramTheoryResult {
  std::vector<double> times;
  std::vector<GramObservables> mean, sd;
  std::vector<double> lock_on_times;  // one per draw
  double lock_on_time_mean;           // mean over the draws that locked on (NaN if none did)
};

GramTrajectory integrate_gram_flow(const GramFlow& flow, const std::vector<double>& times, const Tolerances& tolerances);

// The draws run in parallel (oneTBB); the result does not depend on the thread count.
// Draws of dimension d (model.d >= 1, else std::invalid_argument naming it).
GramTheoryResult run_gram_theory(const ModelParameters& parameters, const FiniteSizeTheory& gram, int d,
                                 const std::vector<double>& times);

}  // namespace cotdyn::meanfield
