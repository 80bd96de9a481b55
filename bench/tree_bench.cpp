// Speed of the tree path-finding model (docs/models/tree.md): the reduced ODE to t = 250 and its
// phase times, and the simulator's coefficient storage (seed-steps per second, one observation on
// 1000 unseen trees) at the compare sizes. Baseline: baselines/tree_torch_coefficients.py, the same
// coefficient-table training written plainly in PyTorch.
#include <benchmark/benchmark.h>

#include <cotdyn/meanfield/tree/integrate.hpp>
#include <cotdyn/meanfield/tree/milestones.hpp>
#include <cotdyn/simulation/tree/system.hpp>

namespace mf = cotdyn::meanfield::tree;
using namespace cotdyn::simulation::tree;

namespace {

// The default forward ODE observed every 5 time units up to t = 250 (what compare asks for per d).
void BM_TreeOdeForward(benchmark::State& state) {
  const auto p = mf::default_parameters(mf::Task::forward);
  std::vector<double> times;
  for (int n = 0; n <= 50; ++n) times.push_back(5.0 * n);
  for (auto _ : state) benchmark::DoNotOptimize(mf::integrate(p, times));
}

// The phase times of §5: the ODE sampled on the grid dt = 0.01 up to t = 250 (25001 observations).
void BM_TreePhaseTimesForward(benchmark::State& state) {
  const auto p = mf::default_parameters(mf::Task::forward);
  for (auto _ : state) benchmark::DoNotOptimize(mf::phase_times(p));
}

TreeSettings bench_settings(int d, int seeds, int eval_size) {
  TreeSettings s = default_settings(Task::forward);
  s.d = d;
  s.seeds = seeds;
  s.eval_size = eval_size;
  return s;
}

// args: d, seeds. Counter seed_steps/s = SGD steps x seeds per second.
void BM_TreeCoefficientSteps(benchmark::State& state) {
  const int d = static_cast<int>(state.range(0)), seeds = static_cast<int>(state.range(1));
  TreeSystem system(bench_settings(d, seeds, 1));
  for (int warmup = 0; warmup < 3; ++warmup) system.train_step();
  for (auto _ : state) benchmark::DoNotOptimize(system.train_step());
  state.counters["seed_steps/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * seeds, benchmark::Counter::kIsRate);
}

// One observation of 5 seeds on 1000 unseen trees, after 200 steps (rollouts of the wrong samples).
void BM_TreeObserve(benchmark::State& state) {
  TreeSystem system(bench_settings(static_cast<int>(state.range(0)), 5, 1000));
  for (int step = 0; step < 200; ++step) system.train_step();
  for (auto _ : state) benchmark::DoNotOptimize(system.observe());
}

}  // namespace

BENCHMARK(BM_TreeOdeForward)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TreePhaseTimesForward)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TreeCoefficientSteps)->Args({64, 5})->Args({256, 5})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_TreeObserve)->Arg(64)->Unit(benchmark::kMillisecond)->UseRealTime();
