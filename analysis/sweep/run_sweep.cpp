#include <cotdyn/analysis/sweep/run_sweep.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <limits>
#include <mutex>
#include <vector>
#include <stdexcept>

#include <fmt/format.h>
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <cotdyn/core/interrupt.hpp>
#include <cotdyn/core/libtorch_needed.hpp>
#include <cotdyn/core/manifest.hpp>
#include <cotdyn/core/output.hpp>
#include <cotdyn/analysis/sweep/sweep_directory.hpp>
#include <cotdyn/models/registry.hpp>

namespace cotdyn::sweep {

namespace fs = std::filesystem;

namespace {
int workers_of(int threads) { return threads > 0 ? threads : oneapi::tbb::info::default_concurrency(); }
}  // namespace

nlohmann::json PreparedSweep::sweep_json(const Shard& shard) const {
  nlohmann::json j;
  j["format"] = sweep_format;
  j["sweep_id"] = sweep_id;
  j["plan"] = plan.to_json();
  j["milestones"] = milestone_names;
  j["point_count"] = point_count;
  j["chunk_size"] = chunk_size;
  j["trajectories"] = trajectories;
  if (!shard.whole()) j["shard"] = {{"index", shard.index}, {"count", shard.count}};
  return j;
}

PointEntry PreparedSweep::run_point(std::size_t point, core::Config& config) const {
  plan.apply_point(point, config);
  try {
    return point_entry(point, runner->run(config), trajectories);
  } catch (const std::runtime_error& e) {  // e.g. the ODE blew up: a result of this parameter region
    return failed_point_entry(point, milestone_names.size(), e.what());
  }
}

PreparedSweep prepare_sweep(SweepPlan plan, int threads) {
  PreparedSweep sweep;
  sweep.trajectories = plan.keeps_trajectories();
  sweep.runner = make_point_runner(plan.kind, models::model_for(plan.base), plan.base, sweep.trajectories);
  sweep.milestone_names = sweep.runner->milestone_names();
  sweep.sweep_id = plan.sweep_id();
  sweep.point_count = plan.point_count();
  sweep.chunk_size = chunk_size(plan.kind, sweep.point_count);

  // Every point checked, in parallel; the error reported is the first bad point's, as in a serial check.
  std::mutex mutex;
  std::atomic<std::size_t> first_bad{std::numeric_limits<std::size_t>::max()};
  std::string error;
  bool needs_libtorch = false;  // the first bad point's setting needs LibTorch (core/libtorch_needed.hpp)
  oneapi::tbb::task_arena arena(workers_of(threads));
  arena.execute([&] {
    oneapi::tbb::parallel_for(
        oneapi::tbb::blocked_range<std::size_t>(0, sweep.point_count, 256),
        [&](const oneapi::tbb::blocked_range<std::size_t>& range) {
          core::Config config = plan.base;
          for (std::size_t i = range.begin(); i != range.end(); ++i) {
            if (i > first_bad.load(std::memory_order_relaxed)) return;
            try {
              plan.apply_point(i, config);
              sweep.runner->check(config);
            } catch (const std::invalid_argument& e) {
              std::string where;
              const auto indices = plan.value_indices(i);
              for (std::size_t k = 0; k < plan.axes.size(); ++k)
                where += fmt::format("{}{} = {}", k ? ", " : "", plan.axes[k].key,
                                     format_value(*plan.axes[k].values.get(indices[k])));
              std::lock_guard<std::mutex> lock(mutex);
              if (i < first_bad) {
                first_bad = i;
                error = fmt::format("sweep point {} ({}): {}", i, where, e.what());
                needs_libtorch = dynamic_cast<const core::LibTorchNeeded*>(&e) != nullptr;
              }
              return;
            }
          }
        });
  });
  if (needs_libtorch) throw core::LibTorchNeeded(error);
  if (!error.empty()) throw std::invalid_argument(error);
  sweep.plan = std::move(plan);
  return sweep;
}

std::vector<Chunk> chunks_to_run(const PreparedSweep& sweep, const Shard& shard, const std::vector<bool>& finished) {
  std::vector<Chunk> chunks;
  for (Chunk& chunk : shard_chunks(sweep.point_count, sweep.chunk_size, shard)) {
    chunk.points.erase(std::remove_if(chunk.points.begin(), chunk.points.end(),
                                      [&](std::size_t i) { return i < finished.size() && finished[i]; }),
                       chunk.points.end());
    if (!chunk.points.empty()) chunks.push_back(std::move(chunk));
  }
  return chunks;
}

void run_chunks(const PreparedSweep& sweep, const std::vector<Chunk>& chunks, int threads,
                const std::function<void(const Chunk&, std::vector<PointEntry>&&)>& on_chunk, int cores) {
  if (chunks.empty()) return;
  const int workers = workers_of(threads);
  const int in_flight = jobs_in_flight(chunks.size(), workers);
  // Simulation points size their LibTorch thread pools from this before any of them starts: one
  // setting for the whole run, since at::set_num_threads is process-global.
  sweep.runner->set_concurrency(in_flight, cores > 0 ? cores : oneapi::tbb::info::default_concurrency());
  oneapi::tbb::task_arena arena(workers);
  arena.execute([&] {
    // Grain 1: chunks differ in cost (lock-on time, L, K vary along the axes), so let TBB balance.
    oneapi::tbb::parallel_for(oneapi::tbb::blocked_range<std::size_t>(0, chunks.size(), 1),
                              [&](const oneapi::tbb::blocked_range<std::size_t>& range) {
                                core::Config config = sweep.plan.base;  // this worker's scratch config
                                for (std::size_t c = range.begin(); c != range.end(); ++c) {
                                  std::vector<PointEntry> entries;
                                  entries.reserve(chunks[c].points.size());
                                  for (std::size_t point : chunks[c].points) {
                                    if (core::interrupt_requested()) return;  // the chunk gets no file
                                    try {
                                      entries.push_back(sweep.run_point(point, config));
                                    } catch (const PointInterrupted&) {
                                      return;  // no file: a resumed sweep runs the chunk again
                                    }
                                  }
                                  on_chunk(chunks[c], std::move(entries));
                                }
                              });
  });
}

fs::path sweep_directory(const SweepOptions& options) {
  return options.shard.whole() ? options.out : options.out / options.shard.name();
}

void write_sweep_results(const PreparedSweep& sweep, const SweepSummary& summary, const Shard& shard, int workers,
                         core::Manifest& manifest, std::ostream& log) {
  const PointsTable table = regenerate_points_csv(summary.directory);
  manifest.json()["threads"]["sweep_workers"] = workers;
  manifest.results() = {{"sweep_id", sweep.sweep_id},
                        {"kind", to_string(sweep.plan.kind)},
                        {"points", summary.points},
                        {"points_in_shard", summary.in_shard},
                        {"already_finished", summary.already_finished},
                        {"ran", summary.ran},
                        {"failed", summary.failed},
                        {"chunk_size", sweep.chunk_size},
                        {"chunks_written", summary.chunks_written},
                        {"trajectories", sweep.trajectories},
                        {"rows_in_points_csv", table.rows.size()},
                        {"seconds", summary.seconds},
                        {"points_per_second", summary.seconds > 0 ? summary.ran / summary.seconds : 0.0}};
  if (!shard.whole()) manifest.results()["shard"] = {{"index", shard.index}, {"count", shard.count}};
  manifest.write(summary.directory, summary.interrupted ? "interrupted" : "complete");
  log << fmt::format("  ran {} points in {:.2f} s ({:.0f} points/s){}{}; points.csv has {} rows\n", summary.ran,
                     summary.seconds, summary.seconds > 0 ? summary.ran / summary.seconds : 0.0,
                     summary.failed ? fmt::format(", {} failed (see the error column)", summary.failed) : "",
                     summary.interrupted ? ", interrupted: rerun with --resume to finish" : "", table.rows.size());
}

SweepSummary run_sweep(const PreparedSweep& sweep, const SweepOptions& options, std::ostream& log) {
  SweepSummary summary;
  summary.directory = sweep_directory(options);
  summary.points = sweep.point_count;
  for (std::size_t i = 0; i < summary.points; ++i) summary.in_shard += options.shard.contains(i) ? 1 : 0;

  core::Manifest manifest("sweep", sweep.plan.base);
  prepare_sweep_directory(summary.directory, sweep.sweep_json(options.shard), options.resume);
  const auto finished = finished_points(summary.directory, sweep.point_count, options.shard);
  for (std::size_t i = 0; i < summary.points; ++i)
    summary.already_finished += options.shard.contains(i) && finished[i] ? 1 : 0;
  const auto todo = chunks_to_run(sweep, options.shard, finished);
  std::size_t todo_points = 0;
  for (const auto& chunk : todo) todo_points += chunk.points.size();
  const int workers = workers_of(options.threads);
  log << fmt::format("cotdyn sweep {}: {} {} points{}; {} already finished, running {} on {} threads -> {}\n",
                     sweep.sweep_id, summary.points, to_string(sweep.plan.kind),
                     options.shard.whole() ? std::string()
                                           : fmt::format(" ({} in shard {}/{})", summary.in_shard,
                                                         options.shard.index, options.shard.count),
                     summary.already_finished, todo_points, workers, summary.directory.string())
      << fmt::format("  {} chunk files of up to {} points to write; trajectories {}\n", todo.size(), sweep.chunk_size,
                     sweep.trajectories ? "kept" : "not kept (milestones only)")
      << std::flush;

  std::atomic<std::size_t> ran{0}, failed{0}, chunks{0};
  std::mutex log_mutex;
  const auto start = std::chrono::steady_clock::now();
  auto last_report = start;
  run_chunks(sweep, todo, options.threads, [&](const Chunk& chunk, std::vector<PointEntry>&& entries) {
    std::size_t errors = 0;
    for (const auto& entry : entries) errors += entry.error.empty() ? 0 : 1;
    const std::size_t count = entries.size();
    write_chunk_file(summary.directory, sweep.sweep_id, sweep.point_count, chunk.first, chunk.end, std::move(entries));
    failed += errors;
    ++chunks;
    const std::size_t done = ran += count;
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard<std::mutex> lock(log_mutex);
    if (now - last_report > std::chrono::seconds(10)) {
      last_report = now;
      log << fmt::format("  {} / {} points\n", done, todo_points) << std::flush;
    }
  });
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  summary.ran = ran;
  summary.failed = failed;
  summary.chunks_written = chunks;
  summary.interrupted = core::interrupt_requested() && summary.ran < todo_points;

  write_sweep_results(sweep, summary, options.shard, workers, manifest, log);
  return summary;
}

}  // namespace cotdyn::sweep
