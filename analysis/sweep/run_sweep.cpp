#include <cotdyn/analysis/sweep/run_sweep.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>

#include <fmt/format.h>
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <cotdyn/core/interrupt.hpp>
#include <cotdyn/core/manifest.hpp>
#include <cotdyn/core/output.hpp>
#include <cotdyn/analysis/sweep/point_file.hpp>
#include <cotdyn/analysis/sweep/sweep_directory.hpp>
#include <cotdyn/models/registry.hpp>

namespace cotdyn::sweep {

namespace fs = std::filesystem;

nlohmann::json PreparedSweep::sweep_json(const Shard& shard) const {
  nlohmann::json j;
  j["format"] = "cotdyn-sweep/1";
  j["sweep_id"] = sweep_id;
  j["plan"] = plan.to_json();
  j["milestones"] = milestone_names;
  j["points"] = hashes;
  if (!shard.whole()) j["shard"] = {{"index", shard.index}, {"count", shard.count}};
  return j;
}

nlohmann::json PreparedSweep::run_point(std::size_t point) const {
  try {
    const PointRecord record = runner->run(configs[point]);
    return point_json(plan, sweep_id, point, hashes[point], configs[point], milestone_names, &record);
  } catch (const std::runtime_error& e) {  // e.g. the ODE blew up: a result of this parameter region
    return point_json(plan, sweep_id, point, hashes[point], configs[point], milestone_names, nullptr, e.what());
  }
}

PreparedSweep prepare_sweep(SweepPlan plan) {
  PreparedSweep sweep;
  sweep.runner = make_point_runner(plan.kind, models::model_for(plan.base), plan.base);
  sweep.milestone_names = sweep.runner->milestone_names();
  sweep.sweep_id = plan.sweep_id();
  const std::size_t count = plan.point_count();
  sweep.configs.reserve(count);
  sweep.hashes.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    sweep.configs.push_back(plan.point_config(i));
    try {
      sweep.runner->check(sweep.configs.back());
    } catch (const std::invalid_argument& e) {
      std::string where;
      const auto indices = plan.value_indices(i);
      for (std::size_t k = 0; k < plan.axes.size(); ++k)
        where += fmt::format("{}{} = {}", k ? ", " : "", plan.axes[k].key,
                             format_value(*plan.axes[k].values.get(indices[k])));
      throw std::invalid_argument(fmt::format("sweep point {} ({}): {}", i, where, e.what()));
    }
    sweep.hashes.push_back(point_hash(plan.kind, sweep.configs.back()));
  }
  sweep.plan = std::move(plan);
  return sweep;
}

std::vector<std::size_t> points_to_run(const PreparedSweep& sweep, const Shard& shard,
                                       const std::set<std::string>& finished) {
  std::vector<std::size_t> points;
  std::set<std::string> scheduled;
  for (std::size_t i = 0; i < sweep.hashes.size(); ++i)
    if (shard.contains(i) && !finished.count(sweep.hashes[i]) && scheduled.insert(sweep.hashes[i]).second)
      points.push_back(i);
  return points;
}

void run_points(const PreparedSweep& sweep, const std::vector<std::size_t>& points, int threads,
                const std::function<void(std::size_t, const nlohmann::json&)>& on_finished, int cores) {
  if (points.empty()) return;
  const int workers = threads > 0 ? threads : oneapi::tbb::info::default_concurrency();
  const int in_flight = jobs_in_flight(points.size(), workers);
  // Simulation points size their LibTorch thread pools from this before any of them starts: one
  // setting for the whole run, since at::set_num_threads is process-global.
  sweep.runner->set_concurrency(in_flight, cores > 0 ? cores : oneapi::tbb::info::default_concurrency());
  oneapi::tbb::task_arena arena(workers);
  arena.execute([&] {
    // Grain 1: points differ in cost by orders of magnitude (lock-on time, L, K), so let TBB balance.
    oneapi::tbb::parallel_for(oneapi::tbb::blocked_range<std::size_t>(0, points.size(), 1),
                              [&](const oneapi::tbb::blocked_range<std::size_t>& range) {
                                for (std::size_t k = range.begin(); k != range.end(); ++k) {
                                  if (core::interrupt_requested()) return;
                                  try {
                                    on_finished(points[k], sweep.run_point(points[k]));
                                  } catch (const PointInterrupted&) {
                                    return;  // no file: a resumed sweep runs it again
                                  }
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
  summary.points = sweep.hashes.size();
  for (std::size_t i = 0; i < summary.points; ++i) summary.in_shard += options.shard.contains(i) ? 1 : 0;

  core::Manifest manifest("sweep", sweep.plan.base);
  prepare_sweep_directory(summary.directory, sweep.sweep_json(options.shard), options.resume);
  const auto finished = finished_point_hashes(summary.directory);
  const auto todo = points_to_run(sweep, options.shard, finished);
  std::set<std::string> finished_here;
  for (std::size_t i = 0; i < summary.points; ++i)
    if (options.shard.contains(i) && finished.count(sweep.hashes[i])) finished_here.insert(sweep.hashes[i]);
  summary.already_finished = finished_here.size();
  const int workers = options.threads > 0 ? options.threads : oneapi::tbb::info::default_concurrency();
  log << fmt::format("cotdyn sweep {}: {} {} points{}; {} already finished, running {} on {} threads -> {}\n",
                     sweep.sweep_id, summary.points, to_string(sweep.plan.kind),
                     options.shard.whole() ? std::string()
                                           : fmt::format(" ({} in shard {}/{})", summary.in_shard,
                                                         options.shard.index, options.shard.count),
                     summary.already_finished, todo.size(), workers, summary.directory.string())
      << std::flush;

  std::atomic<std::size_t> ran{0}, failed{0};
  std::mutex log_mutex;
  const auto start = std::chrono::steady_clock::now();
  auto last_report = start;
  run_points(sweep, todo, options.threads, [&](std::size_t, const nlohmann::json& point) {
    core::write_file_atomically(point_file_path(summary.directory, point["hash"]), point.dump() + "\n");
    if (point.contains("error")) ++failed;
    const std::size_t done = ++ran;
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard<std::mutex> lock(log_mutex);
    if (now - last_report > std::chrono::seconds(10)) {
      last_report = now;
      log << fmt::format("  {} / {} points\n", done, todo.size()) << std::flush;
    }
  });
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  summary.ran = ran;
  summary.failed = failed;
  summary.interrupted = core::interrupt_requested() && summary.ran < todo.size();

  write_sweep_results(sweep, summary, options.shard, workers, manifest, log);
  return summary;
}

}  // namespace cotdyn::sweep
