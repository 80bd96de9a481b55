// Sweep throughput: one theory point at the defaults, and the 100 x 100 theory grid of the sweeps
// issue (eta_A and sigma2 on log grids, every other key at its default) on 1 and 2 worker threads.
// Target: the 10^4 points in under 10 s on 2 cores. Parallel efficiency = (rate on 2) / (2 x rate on 1).
#include <benchmark/benchmark.h>

#include <atomic>

#include <cotdyn/analysis/sweep/run_sweep.hpp>
#include <cotdyn/analysis/sweep/sweep_plan.hpp>
#include <cotdyn/analysis/sweep/theory_point.hpp>

using namespace cotdyn;

namespace {
const char* grid_sweep = R"(
kind = "theory"
[axes]
"train.eta_A" = { log = [0.25, 16, 100] }
"model.sigma2" = { log = [1e-4, 1e-1, 100] }
)";
}  // namespace

// One point: solve, trajectory table (41 rows), lock-on, Q peak, LD accuracy at t_1/2 / 2 and t_max.
static void BM_TheoryPointDefault(benchmark::State& state) {
  const sweep::TheoryPointRunner runner;
  const core::Config config;
  for (auto _ : state) {
    const auto record = runner.run(config);
    benchmark::DoNotOptimize(record.milestones.data());
  }
}
BENCHMARK(BM_TheoryPointDefault)->Unit(benchmark::kMillisecond);

// Building and checking the 10^4 point configs (done once before a sweep starts).
static void BM_PrepareGrid100x100(benchmark::State& state) {
  for (auto _ : state) {
    auto prepared = sweep::prepare_sweep(sweep::parse_sweep(grid_sweep, ".", "bench"));
    benchmark::DoNotOptimize(prepared.hashes.data());
  }
}
BENCHMARK(BM_PrepareGrid100x100)->Unit(benchmark::kMillisecond)->Iterations(1);

// The whole grid in memory (each point's file contents serialised, not written): argument = threads.
static void BM_TheoryGrid100x100(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  const auto prepared = sweep::prepare_sweep(sweep::parse_sweep(grid_sweep, ".", "bench"));
  const auto points = sweep::points_to_run(prepared, sweep::Shard{}, {});
  std::atomic<std::size_t> bytes{0};
  for (auto _ : state)
    sweep::run_points(prepared, points, threads,
                      [&](std::size_t, const nlohmann::json& point) { bytes += point.dump().size(); });
  state.counters["points"] = static_cast<double>(points.size());
  state.counters["points_per_second"] =
      benchmark::Counter(static_cast<double>(points.size()) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
  state.counters["MB_per_point_file_set"] = static_cast<double>(bytes) / 1e6 / static_cast<double>(state.iterations());
}
BENCHMARK(BM_TheoryGrid100x100)->Arg(1)->Arg(2)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
