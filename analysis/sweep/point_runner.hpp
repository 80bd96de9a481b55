#pragma once
// What one kind of sweep point computes: a resolved Config in, a PointRecord out (the milestones of
// points.csv and the trajectory table stored in the point's own file). theory is Torch-free;
// simulate and compare (simulate_point.cpp, LibTorch) plug in behind the same interface.
#include <cstddef>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <cotdyn/core/config.hpp>
#include <cotdyn/analysis/sweep/sweep_plan.hpp>
#include <cotdyn/models/model.hpp>

namespace cotdyn::sweep {

struct PointRecord {
  std::vector<double> milestones;                // in the order of PointRunner::milestone_names()
  std::vector<std::string> trajectory_columns;
  std::vector<std::vector<double>> trajectory;   // rows of trajectory_columns (empty if not computed)
  nlohmann::json run_info = nullptr;             // optional: how the point ran (threads, seconds, failed seeds)
};

// Thrown by a point stopped by an interrupt request: it has no result and gets no file, so a resumed
// sweep runs it again.
struct PointInterrupted : std::exception {
  const char* what() const noexcept override { return "point interrupted"; }
};

class PointRunner {
 public:
  virtual ~PointRunner() = default;
  virtual std::vector<std::string> milestone_names() const = 0;
  // Throws std::invalid_argument (naming the config key) if the point cannot run: every point is
  // checked before anything is written.
  virtual void check(const core::Config& config) const = 0;
  // Thread-safe: points run concurrently, each call on its own config.
  virtual PointRecord run(const core::Config& config) const = 0;
  // Called before points run: `in_flight` points at a time on `cores` cores. Runners with their own
  // intra-op threads (LibTorch) keep in_flight x threads <= cores. Theory points need nothing.
  virtual void set_concurrency(int in_flight, int cores) {
    (void)in_flight;
    (void)cores;
  }
};

// Jobs in flight when `jobs` jobs (sweep points, ablation runs, notebook trainings) share `cores`
// cores (0: all cores, oneTBB's default concurrency): min(jobs, cores), at least one core; 0 when
// there is no job. This is the job pool's cap (a oneTBB task_arena of this concurrency) and the
// `in_flight` that intra-op threads are sized from (PointRunner::set_concurrency, intra_op_threads()).
int jobs_in_flight(std::size_t jobs, int cores = 0);

// Throws std::invalid_argument for kinds this build cannot run, saying what is missing.
// The runner of `model`'s points of this kind; `base` is the sweep's base config. `trajectories`: the
// sweep keeps each point's trajectory table (SweepPlan::keeps_trajectories); a runner may skip
// computing it when not.
std::unique_ptr<PointRunner> make_point_runner(SweepKind kind, const models::Model& model, const core::Config& base,
                                               bool trajectories = true);

}  // namespace cotdyn::sweep
