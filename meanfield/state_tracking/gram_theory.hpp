#pragma once
// The finite-d theory of docs/theory.md §4.8 over several Gram draws: GramFlow integrated with the
// ODE's dense-output Dormand-Prince stepper, observed at the requested times, averaged over draws.
#include <cstdint>
#include <vector>

#include <cotdyn/meanfield/state_tracking/gram_flow.hpp>

namespace cotdyn::meanfield {

struct GramTheorySettings {
  int d = 256;                 // embedding dimension of the draws
  int draws = 4;               // Gram draws averaged (theory.gram_draws)
  std::uint64_t seed = 0;      // draw k uses seed + k
  Tolerances tolerances{1e-6, 1e-9};  // far below the draw-to-draw scatter (docs/theory.md §4.8)
};

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
GramTheoryResult run_gram_theory(const ModelParameters& parameters, const std::vector<std::vector<int>>& transition,
                                 const std::vector<double>& times, const GramTheorySettings& settings);

// theory.gram_draws >= 1, model.d >= 1: std::invalid_argument naming the key otherwise.
void validate(const GramTheorySettings& settings);

}  // namespace cotdyn::meanfield
