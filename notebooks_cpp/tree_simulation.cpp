#include <cotdyn/notebooks_cpp/tree_simulation.hpp>

#include <cmath>
#include <cstdint>
#include <mutex>
#include <stdexcept>

#include <tbb/parallel_for.h>

#include <cotdyn/simulation/tree/system.hpp>

namespace cotdyn::notebook {

namespace st = simulation::tree;

std::vector<double> TreeRun::mean(const std::string& name) const {
  std::vector<double> m(times().size(), 0.0);
  for (const auto& seed : seeds)
    for (std::size_t n = 0; n < m.size(); ++n) m[n] += seed[name][n] / seeds.size();
  return m;
}

std::vector<double> TreeRun::std_dev(const std::string& name) const {
  const auto m = mean(name);
  std::vector<double> v(m.size(), 0.0);
  for (const auto& seed : seeds)
    for (std::size_t n = 0; n < m.size(); ++n) v[n] += (seed[name][n] - m[n]) * (seed[name][n] - m[n]) / seeds.size();
  for (double& x : v) x = std::sqrt(x);
  return v;
}

TreeRun run_tree(st::TreeSettings settings, const std::vector<double>& times) {
  settings.threads = 1;
  st::TreeSystem system(settings);
  TreeRun run{settings, std::vector<TreeSeedSeries>(settings.seeds)};
  const auto& names = system.observable_names();
  std::int64_t step = 0;
  for (double t : times) {
    const auto target = static_cast<std::int64_t>(std::llround(t * settings.d));
    if (target < step) throw std::invalid_argument("run_tree: observation times must be non-decreasing");
    for (; step < target; ++step) system.train_step();
    const auto rows = system.observe();
    for (int e = 0; e < settings.seeds; ++e) {
      run.seeds[e].t.push_back(static_cast<double>(step) / settings.d);
      for (std::size_t c = 0; c < names.size(); ++c) run.seeds[e].values[names[c]].push_back(rows[e][c]);
    }
  }
  const auto task = settings.task == st::Task::forward ? meanfield::tree::Task::forward : meanfield::tree::Task::backward;
  for (auto& seed : run.seeds)
    seed.phases = meanfield::tree::phase_times(task, settings.H, seed.t,
                                               [&](const std::string& name) -> const std::vector<double>& { return seed[name]; });
  return run;
}

std::vector<TreeRun> run_trees(const std::vector<st::TreeSettings>& settings, const std::vector<std::vector<double>>& times,
                               const std::function<void(const TreeRun&)>& progress) {
  if (settings.size() != times.size()) throw std::invalid_argument("run_trees: one list of times per run");
  std::vector<TreeRun> runs(settings.size());
  std::mutex mutex;
  tbb::parallel_for(std::size_t(0), settings.size(), [&](std::size_t k) {
    runs[k] = run_tree(settings[k], times[k]);
    if (progress) {
      std::lock_guard lock(mutex);
      progress(runs[k]);
    }
  }, tbb::simple_partitioner{});
  return runs;
}

}  // namespace cotdyn::notebook
