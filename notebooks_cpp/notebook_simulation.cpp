#include <cotdyn/notebooks_cpp/notebook_simulation.hpp>

#include <algorithm>
#include <atomic>
#include <stdexcept>

#include <fmt/format.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_group.h>

#include <cotdyn/analysis/sweep/point_runner.hpp>
#include <cotdyn/models/state_tracking/resolve_simulation.hpp>
#include <cotdyn/simulation/state_tracking/train.hpp>

namespace cotdyn::notebook {

std::vector<compare::SimulatedRun> simulate_dims(Context& context, const std::vector<int>& dims, int seeds_per_job) {
  const simulation::SimulationSettings base = models::state_tracking::resolve_simulation_settings(context.config);
  const int chunk = seeds_per_job > 0 ? std::min(seeds_per_job, base.seeds) : base.seeds;
  struct Job {
    std::size_t dim;  // index into dims
    simulation::SimulationSettings settings;
  };
  std::vector<Job> jobs;
  for (std::size_t i = 0; i < dims.size(); ++i)
    for (int first = 0; first < base.seeds; first += chunk) {
      auto s = base;
      s.d = dims[i];
      s.seeds = std::min(chunk, base.seeds - first);
      s.base_seed = base.base_seed + static_cast<std::uint64_t>(first);
      s.threads = 1;  // one LibTorch thread per job; the jobs share the cores instead
      simulation::validate(s);
      jobs.push_back({i, s});
    }
  // Longest first (cost ~ steps x seeds = t_max d seeds), so that the workers finish together.
  std::stable_sort(jobs.begin(), jobs.end(), [](const Job& a, const Job& b) {
    return double(a.settings.d) * a.settings.seeds > double(b.settings.d) * b.settings.seeds;
  });

  // One task per job in a task_arena of `workers` slots. Each task takes the next job of `jobs` when it
  // starts, so jobs start longest first whichever thread runs the task. A job that throws cancels the
  // jobs not yet started and its exception is rethrown here once the jobs in flight have finished.
  std::vector<compare::SimulatedRun> parts(jobs.size());
  std::atomic<std::size_t> next{0};
  const auto run_next_job = [&] {
    const std::size_t k = next++;
    const auto& s = jobs[k].settings;
    simulation::RunOptions run_options;
    run_options.progress = false;
    context.log(fmt::format("training d = {}, seeds {}..{} ({} steps)", s.d, s.base_seed,
                            s.base_seed + static_cast<std::uint64_t>(s.seeds) - 1,
                            simulation::observation_step(s.t_max, s.d)));
    const auto result = simulation::train(s, run_options);
    for (const auto& f : result.status.failures) context.log("  " + f.message());
    parts[k] = compare::to_simulated_run(result, s.d);
    context.log(fmt::format("trained d = {}, seeds {}..{}", s.d, s.base_seed,
                            s.base_seed + static_cast<std::uint64_t>(s.seeds) - 1));
  };
  const int workers = sweep::jobs_in_flight(jobs.size());
  context.manifest.json()["threads"]["used"] = {{"workers", workers}, {"libtorch_threads_per_worker", 1}};
  if (!jobs.empty()) {
    oneapi::tbb::task_arena arena(workers);
    arena.execute([&] {
      oneapi::tbb::task_group group;
      for (std::size_t k = 0; k < jobs.size(); ++k) group.run(run_next_job);
      group.wait();
    });
  }

  // Reassemble each d's seeds in seed order.
  std::vector<compare::SimulatedRun> runs(dims.size());
  for (std::size_t i = 0; i < dims.size(); ++i) runs[i].d = dims[i];
  for (std::size_t k = 0; k < jobs.size(); ++k)
    for (auto& seed : parts[k].seeds) runs[jobs[k].dim].seeds.push_back(std::move(seed));
  for (auto& run : runs) {
    // As within a job: a seed stopped early (a whole job may have stopped) has fewer rows.
    std::size_t longest = 0;
    for (const auto& seed : run.seeds) longest = std::max(longest, seed.t.size());
    run.seeds.erase(
        std::remove_if(run.seeds.begin(), run.seeds.end(), [&](const auto& seed) { return seed.t.size() < longest; }),
        run.seeds.end());
    std::sort(run.seeds.begin(), run.seeds.end(), [](const auto& a, const auto& b) { return a.seed < b.seed; });
    if (run.seeds.empty()) throw std::runtime_error(fmt::format("d = {}: every seed failed", run.d));
  }
  return runs;
}

}  // namespace cotdyn::notebook
