#pragma once
// Running a sweep: every point is built and checked first (bad input writes nothing), then the points
// of this shard that have no file yet run in parallel with oneTBB (one point, hence one ODE stepper or
// one batched simulation of all its seeds, per task), each written atomically as soon as it finishes;
// points.csv and manifest.json follow.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <cotdyn/core/config.hpp>
#include <cotdyn/core/manifest.hpp>
#include <cotdyn/analysis/sweep/point_runner.hpp>
#include <cotdyn/analysis/sweep/shard.hpp>
#include <cotdyn/analysis/sweep/sweep_plan.hpp>

namespace cotdyn::sweep {

struct PreparedSweep {
  SweepPlan plan;
  std::unique_ptr<PointRunner> runner;
  std::vector<std::string> milestone_names;
  std::string sweep_id;
  std::vector<core::Config> configs;  // one per point
  std::vector<std::string> hashes;   // the file name of each point

  // The contents of DIR/sweep.json (with the shard when the sweep is split).
  nlohmann::json sweep_json(const Shard& shard) const;
  // A point's file contents after running it (or recording why it failed). Throws PointInterrupted
  // when an interrupt request stopped it.
  nlohmann::json run_point(std::size_t point) const;
};

// Resolves and checks every point. Throws std::invalid_argument naming the key and the point.
PreparedSweep prepare_sweep(SweepPlan plan);

// The points of `shard` without a file, one per distinct file (equal configs run once).
std::vector<std::size_t> points_to_run(const PreparedSweep& sweep, const Shard& shard,
                                       const std::set<std::string>& finished);

// Runs `points` on `threads` workers (0 = all cores); on_finished(point, file contents) is called from
// the worker that ran it. Stops starting points once core::interrupt_requested() is set; a point the
// request stopped midway (a simulation) is dropped. `cores` (0 = all cores of this process) is what
// the runner may fill: (points in flight) x (intra-op threads per point) <= cores.
void run_points(const PreparedSweep& sweep, const std::vector<std::size_t>& points, int threads,
                const std::function<void(std::size_t, const nlohmann::json&)>& on_finished, int cores = 0);

struct SweepOptions {
  std::filesystem::path out;  // a split sweep writes to out / "shard-I-of-N"
  bool resume = false;
  Shard shard;
  int threads = 0;            // 0 = all cores
};

struct SweepSummary {
  std::filesystem::path directory;
  std::size_t points = 0;           // in the whole sweep
  std::size_t in_shard = 0;
  std::size_t already_finished = 0;  // distinct files found on resume
  std::size_t ran = 0;
  std::size_t failed = 0;
  double seconds = 0;
  bool interrupted = false;
};

std::filesystem::path sweep_directory(const SweepOptions& options);

// points.csv (regenerated from the point files) and manifest.json, then a summary line on `log`.
void write_sweep_results(const PreparedSweep& sweep, const SweepSummary& summary, const Shard& shard, int workers,
                         core::Manifest& manifest, std::ostream& log);

// The whole run: directory, points, points.csv, manifest. Progress lines go to `log`.
SweepSummary run_sweep(const PreparedSweep& sweep, const SweepOptions& options, std::ostream& log);

}  // namespace cotdyn::sweep
