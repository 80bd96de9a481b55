#pragma once
// Simulation sweep points (LibTorch; built only with COTDYN_WITH_TORCH):
//  * simulate: the teacher-student transformer of docs/theory.md sections 1-3 trained with all of the point's
//    seeds batched in one run (simulation::train), measured on the observation grid; the milestones
//    are read off the measured curves (the method of docs/theory.md §7) and the point's trajectory is the seed
//    mean and seed standard deviation of every measured column;
//  * compare: the same simulation and the mean-field theory at the same config, the theory's
//    milestones (exactly those of a theory point), the simulation's, and the RMS over the simulation's
//    observation times of |seed mean - theory| per quantity (analysis/compare/discrepancy.hpp).
//
// Threads: points run in parallel (oneTBB, jobs_in_flight() at once); LibTorch's intra-op threads are
// process-global, so one count is chosen per run for all points in flight, with (points in flight) x
// (intra-op threads) <= cores. See intra_op_threads().
#include <atomic>
#include <string>
#include <vector>

#include <cotdyn/analysis/compare/comparison_data.hpp>
#include <cotdyn/simulation/state_tracking/settings.hpp>
#include <cotdyn/analysis/sweep/point_runner.hpp>

namespace cotdyn::sweep {

// Config -> SimulationSettings, every field from its config key, validated by the simulation library
// (errors name the key, its value and what is allowed). The same resolution as `cotdyn simulate`.
// train.t_max is added to the observation times when the grid stops earlier (the final milestones).
simulation::SimulationSettings resolve_point_simulation(const core::Config& config);

// Intra-op threads of one simulation point when `in_flight` points run at once on `cores` cores:
// what the point asks for (model.threads, or its default: 1 for logic = "coefficients", all cores for
// "tensor"), but never more than cores / in_flight (at least 1).
int intra_op_threads(const simulation::SimulationSettings& settings, int in_flight, int cores);

// The milestones of a simulated run (seeds that finished), in the order of simulated_milestone_names().
std::vector<std::string> simulated_milestone_names();
std::vector<double> simulated_milestones(const compare::SimulatedRun& run, int L);

class SimulatePointRunner final : public PointRunner {
 public:
  // Measured, from the seeds that finished (a seed stopped by a non-finite value is left out):
  // t_half: mean over the seeds that locked on of each seed's first crossing of M = M_1/2 (log M
  // interpolated between observations; alpha = 1/2 in mean field); t_half_std: their standard
  // deviation (ddof 0); locked_seeds; t_half_alpha: crossing of the seed-mean measured alpha = 1/2;
  // Q_max, t_Q_max: largest seed-mean Q on the grid and its time; plateau_step_acc: seed-mean
  // per-step accuracy at t_half / 2 (linear between observations); final_step_acc,
  // final_rollout_acc, final_state_acc: seed means at train.t_max; seeds: seeds in the means.
  std::vector<std::string> milestone_names() const override;
  void check(const core::Config& config) const override;
  PointRecord run(const core::Config& config) const override;
  void set_concurrency(int in_flight, int cores) override;

 private:
  std::atomic<int> in_flight_{1};
  std::atomic<int> cores_{0};  // 0: all cores
};

class ComparePointRunner final : public PointRunner {
 public:
  // theory_<m> for every theory milestone (TheoryPointRunner), sim_<m> for every simulate milestone,
  // t_half_diff = sim_t_half - theory_t_half, and rms_<q> for q in M, alpha, R, Q, R_c, Q_c,
  // step_acc, rollout_acc (R_c, Q_c against the theory's R, Q; the accuracies against the
  // logit-distribution prediction at model.d).
  std::vector<std::string> milestone_names() const override;
  void check(const core::Config& config) const override;
  PointRecord run(const core::Config& config) const override;
  void set_concurrency(int in_flight, int cores) override;

 private:
  std::atomic<int> in_flight_{1};
  std::atomic<int> cores_{0};
};

}  // namespace cotdyn::sweep
