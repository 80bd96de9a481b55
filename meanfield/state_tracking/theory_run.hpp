#pragma once
// One theory run: the ODE trajectory at the observation times, every observable derived from it, and
// the staged-learning milestones. This is what `cotdyn theory` writes and what compare and sweeps reuse.
#include <vector>

#include <cotdyn/meanfield/state_tracking/accuracy.hpp>
#include <cotdyn/meanfield/state_tracking/solver.hpp>

namespace cotdyn::meanfield {

struct TheoryRow {
  double t;
  OrderParameters state;         // M, R, Q
  DerivedQuantities derived;     // P, N, alpha, ...
  double loss;                   // population loss
  double step_acc_inf;           // noise-free per-step accuracy (d = infinity)
  double rollout_acc_inf;        // its L-th power
  std::vector<double> step_acc_ld;     // logit-distribution per-step accuracy, one per requested d
  std::vector<double> rollout_acc_ld;  // its L-th power, one per requested d
};

struct TheoryMilestones {
  double lock_on_time;           // alpha = 1/2 from the dense output (NaN if not reached)
  double lock_on_estimate;       // closed form of docs/theory.md §6
  double offtarget_peak_time;    // first maximum of Q
  double offtarget_peak;
  std::vector<double> rollout_half_time;  // predicted rollout accuracy crosses 0.5, one per requested d
  double rollout_half_time_inf;           // the same at d = infinity
};

struct TheoryResult {
  std::vector<double> dims;  // the embedding dimensions of the d-dependent columns
  std::vector<TheoryRow> rows;
  TheoryMilestones milestones;
  long steps;
};

// dims may be empty (then only the d = infinity accuracies are computed).
TheoryResult run_theory(const ModelParameters& parameters, const std::vector<double>& times,
                        const Tolerances& tolerances, const std::vector<double>& dims);

}  // namespace cotdyn::meanfield
