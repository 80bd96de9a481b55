#pragma once
// Running a sweep: every point is built and checked first (bad input writes nothing), then the chunks
// of this shard (chunk.hpp) that are not finished yet run in parallel with oneTBB (one chunk per task,
// its points one after another: one ODE stepper or one batched simulation of all its seeds at a time),
// each chunk's file written atomically as soon as all its points are done; points.csv and
// manifest.json follow.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <cotdyn/core/config.hpp>
#include <cotdyn/core/manifest.hpp>
#include <cotdyn/analysis/sweep/chunk.hpp>
#include <cotdyn/analysis/sweep/chunk_file.hpp>
#include <cotdyn/analysis/sweep/point_runner.hpp>
#include <cotdyn/analysis/sweep/shard.hpp>
#include <cotdyn/analysis/sweep/sweep_plan.hpp>

namespace cotdyn::sweep {

struct PreparedSweep {
  SweepPlan plan;
  std::unique_ptr<PointRunner> runner;
  std::vector<std::string> milestone_names;
  std::string sweep_id;
  std::size_t point_count = 0;
  std::size_t chunk_size = 1;  // chunk_size(plan.kind, point_count)
  bool trajectories = true;    // plan.keeps_trajectories()

  // The contents of DIR/sweep.json (with the shard when the sweep is split).
  nlohmann::json sweep_json(const Shard& shard) const;
  // Runs one point and returns its chunk-file entry (with the error when it failed, e.g. its ODE blew
  // up). `config` is the calling worker's scratch copy of plan.base: the point's axis values are set in
  // it. Throws PointInterrupted when an interrupt request stopped the point.
  PointEntry run_point(std::size_t point, core::Config& config) const;
};

// Resolves and checks every point, on `threads` workers (0 = all cores); nothing is kept per point.
// Throws std::invalid_argument naming the first bad point, its axis values and the key.
PreparedSweep prepare_sweep(SweepPlan plan, int threads = 0);

// The chunks of `shard` with points not in `finished` (indexed by point), each holding only those
// points.
std::vector<Chunk> chunks_to_run(const PreparedSweep& sweep, const Shard& shard, const std::vector<bool>& finished);

// Runs `chunks` on `threads` workers (0 = all cores); on_chunk(chunk, entries) is called from the
// worker that ran all the chunk's points (entries in the order of chunk.points). Stops starting points
// once core::interrupt_requested() is set; a chunk the request stopped midway gets no call (its points
// run again on --resume). `cores` (0 = all cores of this process) is what the runner may fill:
// (chunks in flight) x (intra-op threads per point) <= cores.
void run_chunks(const PreparedSweep& sweep, const std::vector<Chunk>& chunks, int threads,
                const std::function<void(const Chunk&, std::vector<PointEntry>&&)>& on_chunk, int cores = 0);

struct SweepOptions {
  std::filesystem::path out;  // a split sweep writes to out / "shard-I-of-N"
  bool resume = false;
  Shard shard;
  int threads = 0;            // 0 = all cores
};

struct SweepSummary {
  std::filesystem::path directory;
  std::size_t points = 0;            // in the whole sweep
  std::size_t in_shard = 0;
  std::size_t already_finished = 0;  // points found finished on resume
  std::size_t ran = 0;
  std::size_t failed = 0;
  std::size_t chunks_written = 0;
  double seconds = 0;
  bool interrupted = false;
};

std::filesystem::path sweep_directory(const SweepOptions& options);

// points.csv (regenerated from the chunk files) and manifest.json, then a summary line on `log`.
void write_sweep_results(const PreparedSweep& sweep, const SweepSummary& summary, const Shard& shard, int workers,
                         core::Manifest& manifest, std::ostream& log);

// The whole run: directory, chunks, points.csv, manifest. Progress lines go to `log`.
SweepSummary run_sweep(const PreparedSweep& sweep, const SweepOptions& options, std::ostream& log);

}  // namespace cotdyn::sweep
