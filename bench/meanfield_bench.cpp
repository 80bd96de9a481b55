// One default mean-field solve (t = 0..100, 41 observation times) and the right-hand side alone.
// Baseline: baselines/meanfield_scipy.py (scipy's LSODA, same tolerances, numpy-vectorised RHS).
#include <benchmark/benchmark.h>

#include <cotdyn/meanfield/state_tracking/solver.hpp>
#include <cotdyn/meanfield/state_tracking/theory_run.hpp>

using namespace cotdyn::meanfield;

namespace {
std::vector<double> default_times() {
  std::vector<double> times;
  for (int i = 0; i <= 40; ++i) times.push_back(2.5 * i);
  return times;
}
}  // namespace

static void BM_RightHandSide(benchmark::State& state) {
  const MeanFieldOde ode(ModelParameters{});
  const State x = to_state({0.6, 1.3, 0.76});
  State dxdt(3);
  for (auto _ : state) {
    ode(x, dxdt, 0.0);
    benchmark::DoNotOptimize(dxdt.data());
  }
}
BENCHMARK(BM_RightHandSide);

// The ODE alone: trajectory at 41 times plus the lock-on and Q-peak milestones.
static void BM_DefaultSolve(benchmark::State& state) {
  const MeanFieldOde ode(ModelParameters{});
  const auto times = default_times();
  long steps = 0;
  for (auto _ : state) {
    const Solution s = solve(ode, times, Tolerances{});
    steps = s.steps;
    benchmark::DoNotOptimize(s.states.data());
  }
  state.counters["steps"] = static_cast<double>(steps);
}
BENCHMARK(BM_DefaultSolve)->Unit(benchmark::kMillisecond);

// What `cotdyn theory` computes: the solve, every observable and the accuracy predictions at d = 256.
static void BM_DefaultTheoryRun(benchmark::State& state) {
  const auto times = default_times();
  for (auto _ : state) {
    const TheoryResult r = run_theory(ModelParameters{}, times, Tolerances{}, {256});
    benchmark::DoNotOptimize(r.rows.data());
  }
}
BENCHMARK(BM_DefaultTheoryRun)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
