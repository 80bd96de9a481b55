// Where a theory point's time goes (the profile of BENCHMARKS.md, "Sweeps"): each part of one point at
// the defaults, measured alone.
#include <benchmark/benchmark.h>

#include <cotdyn/analysis/sweep/sweep_plan.hpp>
#include <cotdyn/analysis/sweep/theory_point.hpp>
#include <cotdyn/core/observation_grid.hpp>
#include <cotdyn/meanfield/state_tracking/accuracy.hpp>
#include <cotdyn/meanfield/state_tracking/meanfield_ode.hpp>
#include <cotdyn/meanfield/state_tracking/solver.hpp>
#include <cotdyn/models/state_tracking/resolve.hpp>

using namespace cotdyn;

namespace {
const char* part_sweep = R"(
kind = "theory"
[axes]
"train.eta_A" = { log = [0.25, 16, 100] }
"model.sigma2" = { log = [1e-4, 1e-1, 100] }
)";
}  // namespace

// The base config copied and one point's axis values set (what a point's config costs).
static void BM_PartPointConfig(benchmark::State& state) {
  const auto plan = sweep::parse_sweep(part_sweep, ".", "bench");
  std::size_t i = 0;
  for (auto _ : state) {
    auto config = plan.point_config(i++ % plan.point_count());
    benchmark::DoNotOptimize(&config);
  }
}
BENCHMARK(BM_PartPointConfig)->Unit(benchmark::kMicrosecond);

// The resolved config as JSON and its hash: what naming one file per point by its config cost each
// point before chunk files (docs/sweeps.md), which need no per-point name.
static void BM_PartConfigHash(benchmark::State& state) {
  const core::Config config;
  for (auto _ : state) benchmark::DoNotOptimize(sweep::content_hash("theory\n" + config.to_json()));
}
BENCHMARK(BM_PartConfigHash)->Unit(benchmark::kMicrosecond);

// A theory point's check: parameters (with the permutation task), tolerances, observation times.
static void BM_PartCheck(benchmark::State& state) {
  const core::Config config;
  const sweep::TheoryPointRunner runner;
  for (auto _ : state) runner.check(config);
}
BENCHMARK(BM_PartCheck)->Unit(benchmark::kMicrosecond);

// The ODE and accuracy objects a point builds (count vectors, Gauss-Hermite rule).
static void BM_PartModels(benchmark::State& state) {
  const auto p = models::state_tracking::resolve_model_parameters(core::Config());
  for (auto _ : state) {
    const meanfield::MeanFieldOde ode(p);
    const meanfield::AccuracyModel accuracy(p);
    benchmark::DoNotOptimize(&ode);
    benchmark::DoNotOptimize(&accuracy);
  }
}
BENCHMARK(BM_PartModels)->Unit(benchmark::kMicrosecond);

// One ODE solve to t_max = 100 at the 41 observation times; argument: -log10(rtol), atol = rtol / 100.
static void BM_PartSolve(benchmark::State& state) {
  const core::Config config;
  const auto p = models::state_tracking::resolve_model_parameters(config);
  const meanfield::MeanFieldOde ode(p);
  const auto times = core::resolve_observation_times(config);
  const double rtol = std::pow(10.0, -static_cast<double>(state.range(0)));
  long steps = 0;
  for (auto _ : state) {
    const auto solution = meanfield::solve(ode, times, {rtol, rtol / 100});
    steps = solution.steps;
    benchmark::DoNotOptimize(solution.states.data());
  }
  state.counters["steps"] = static_cast<double>(steps);
}
BENCHMARK(BM_PartSolve)->Arg(10)->Arg(8)->Arg(7)->Arg(6)->Arg(5)->Unit(benchmark::kMicrosecond);

// The logit-distribution per-step accuracy at d = 256 (docs/theory.md §5) at the state at t_max.
static void BM_PartLdAccuracy(benchmark::State& state) {
  const auto p = models::state_tracking::resolve_model_parameters(core::Config());
  const meanfield::MeanFieldOde ode(p);
  const meanfield::AccuracyModel accuracy(p);
  const auto x = meanfield::solve(ode, {100.0}).states.back();
  for (auto _ : state) benchmark::DoNotOptimize(accuracy.step_accuracy(x, 256));
}
BENCHMARK(BM_PartLdAccuracy)->Unit(benchmark::kMicrosecond);

// The d = infinity per-step accuracy (one per trajectory row).
static void BM_PartNoiseFreeAccuracy(benchmark::State& state) {
  const auto p = models::state_tracking::resolve_model_parameters(core::Config());
  const meanfield::MeanFieldOde ode(p);
  const meanfield::AccuracyModel accuracy(p);
  const auto x = meanfield::solve(ode, {100.0}).states.back();
  for (auto _ : state) benchmark::DoNotOptimize(accuracy.step_accuracy_noise_free(x));
}
BENCHMARK(BM_PartNoiseFreeAccuracy)->Unit(benchmark::kMicrosecond);
