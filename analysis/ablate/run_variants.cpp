#include <cotdyn/analysis/ablate/run_variants.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <mutex>
#include <new>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_group.h>

#include <cotdyn/models/state_tracking/resolve_simulation.hpp>
#include <cotdyn/analysis/sweep/simulate_point.hpp>
#include <cotdyn/simulation/state_tracking/train.hpp>
#include <cotdyn/analysis/ablate/variant_files.hpp>

namespace cotdyn::ablate {

std::vector<Job> plan_jobs(const core::Config& base, const AblateSettings& settings) {
  std::vector<Job> jobs;
  for (std::size_t v = 0; v < settings.variants.size(); ++v)
    for (int d : settings.dims) {
      Job job;
      job.variant = v;
      job.d = d;
      try {
        job.settings = models::state_tracking::resolve_simulation_settings(variant_config(base, settings.variants[v], d, settings.seeds));
      } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(
            fmt::format("ablate variant \"{}\" at d = {}: {}", settings.variants[v].name, d, e.what()));
      }
      jobs.push_back(std::move(job));
    }
  return jobs;
}

RunnerOutcome run_variants(const AblateSettings& settings, std::vector<Job> jobs, const RunnerOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const auto since = [](std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
  };
  std::mutex mutex;
  const auto log = [&](const std::string& line) {
    if (!options.log) return;
    std::lock_guard<std::mutex> lock(mutex);
    options.log(line);
  };
  RunnerOutcome outcome;
  std::vector<std::optional<VariantRun>> results(jobs.size());
  std::vector<std::size_t> todo;
  for (std::size_t j = 0; j < jobs.size(); ++j) {
    if (options.resume && !options.directory.empty())
      if (auto saved = read_variant_run(options.directory, settings.variants[jobs[j].variant], jobs[j].variant,
                                        jobs[j].d)) {
        results[j] = std::move(*saved);
        ++outcome.resumed;
        continue;
      }
    todo.push_back(j);
  }
  if (outcome.resumed > 0) log(fmt::format("resumed {} finished runs from {}", outcome.resumed, options.directory.string()));
  // Largest first (cost grows with d; a switched-on variant costs at least the baseline), so that the
  // workers finish together.
  std::stable_sort(todo.begin(), todo.end(), [&](std::size_t a, std::size_t b) {
    const auto cost = [&](const Job& j) { return std::pair(j.d, !settings.variants[j.variant].is_baseline()); };
    return cost(jobs[a]) > cost(jobs[b]);
  });

  const int cores = options.threads > 0 ? options.threads : oneapi::tbb::info::default_concurrency();
  const int workers = sweep::jobs_in_flight(todo.size(), cores);
  outcome.workers = workers;
  for (std::size_t j : todo) {
    jobs[j].settings.threads = sweep::intra_op_threads(jobs[j].settings, std::max(1, workers), cores);
    outcome.intra_op_threads = std::max(outcome.intra_op_threads, jobs[j].settings.threads);
  }

  // One task per job in a task_arena of `workers` slots. Each task takes the next job of `todo` when it
  // starts, so jobs start largest first whichever thread runs the task.
  std::atomic<std::size_t> next{0};
  std::atomic<int> done{0};
  std::atomic<bool> interrupted{false};
  const std::size_t total = todo.size();
  const auto run_next_job = [&] {
    if (options.stop_requested && options.stop_requested->load()) {
      interrupted = true;
      return;
    }
    const std::size_t k = next++;
    const Job& job = jobs[todo[k]];
    const Variant& variant = settings.variants[job.variant];
    VariantRun run;
    run.variant = job.variant;
    run.d = job.d;
    run.run.d = job.d;
    log(fmt::format("cotdyn ablate: start {} at d = {} ({} seeds, {} steps, {} intra-op thread{})", variant.name,
                    job.d, job.settings.seeds, simulation::observation_step(job.settings.t_max, job.d),
                    job.settings.threads, job.settings.threads == 1 ? "" : "s"));
    const auto job_start = std::chrono::steady_clock::now();
    std::vector<std::string> columns;
    try {
      simulation::RunOptions run_options;
      run_options.stop_requested = options.stop_requested;
      run_options.progress = false;  // jobs run concurrently: their bars would interleave
      const auto result = simulation::train(job.settings, run_options);
      if (result.status.interrupted) {
        interrupted = true;
        log(fmt::format("cotdyn ablate: interrupted {} at d = {}", variant.name, job.d));
        return;
      }
      columns = result.columns;
      run.run = compare::to_simulated_run(result, job.d);
      for (const auto& f : result.status.failures) run.seed_failures.push_back(f.message());
      // to_simulated_run drops seeds that stopped early; a failed seed that reached the end is dropped too.
      auto& seeds = run.run.seeds;
      seeds.erase(std::remove_if(seeds.begin(), seeds.end(),
                                 [&](const auto& s) {
                                   return std::any_of(result.status.failures.begin(), result.status.failures.end(),
                                                      [&](const auto& f) { return f.seed == s.seed; });
                                 }),
                  seeds.end());
    } catch (const std::bad_alloc&) {
      run.error = fmt::format("out of memory at d = {} with {} seeds", job.d, job.settings.seeds);
    } catch (const std::exception& e) {
      run.error = e.what();
    }
    run.seconds = since(job_start);
    if (run.error.empty() && !options.directory.empty()) write_variant_run(options.directory, variant, run, columns);
    const int finished = ++done;
    log(run.error.empty()
            ? fmt::format("cotdyn ablate: [{}/{}] {} at d = {}: {} seeds in {:.1f} s{}", finished, total, variant.name,
                          job.d, run.run.seeds.size(), run.seconds,
                          run.seed_failures.empty() ? "" : fmt::format(" ({} stopped by a non-finite value)",
                                                                       run.seed_failures.size()))
            : fmt::format("cotdyn ablate: [{}/{}] {} at d = {} FAILED: {}", finished, total, variant.name, job.d,
                          run.error));
    std::lock_guard<std::mutex> lock(mutex);
    results[todo[k]] = std::move(run);
  };
  if (total > 0) {
    oneapi::tbb::task_arena arena(workers);
    arena.execute([&] {
      oneapi::tbb::task_group group;
      for (std::size_t k = 0; k < total; ++k) group.run(run_next_job);
      group.wait();
    });
  }

  outcome.interrupted = interrupted;
  for (auto& r : results)
    if (r) outcome.runs.push_back(std::move(*r));
  outcome.seconds = since(start);
  return outcome;
}

}  // namespace cotdyn::ablate
