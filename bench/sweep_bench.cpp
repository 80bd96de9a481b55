// Sweep throughput: one theory point at the defaults, and the 100 x 100 theory grid of the sweeps
// issue (eta_A and sigma2 on log grids, every other key at its default) on 1 and 2 worker threads,
// as it runs by default (rtol 1e-10, trajectories kept) and as a huge sweep runs it (the tolerance
// of docs/sweeps.md, "Tolerance", milestones only). Parallel efficiency = (rate on 2) / (2 x rate on 1).
#include <benchmark/benchmark.h>

#include <atomic>

#include <cotdyn/analysis/sweep/chunk_file.hpp>
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

// The same grid as a huge sweep runs it: milestones only, at the sweep tolerance of docs/sweeps.md.
const char* grid_sweep_fast = R"(
kind = "theory"
trajectories = false
[set]
"theory.rtol" = 1e-6
"theory.atol" = 1e-9
[axes]
"train.eta_A" = { log = [0.25, 16, 100] }
"model.sigma2" = { log = [1e-4, 1e-1, 100] }
)";

void run_grid(benchmark::State& state, const char* text) {
  const int threads = static_cast<int>(state.range(0));
  const auto prepared = sweep::prepare_sweep(sweep::parse_sweep(text, ".", "bench"));
  const auto chunks = sweep::chunks_to_run(prepared, sweep::Shard{}, {});
  std::atomic<std::size_t> bytes{0};
  for (auto _ : state)
    sweep::run_chunks(prepared, chunks, threads, [&](const sweep::Chunk& chunk, std::vector<sweep::PointEntry>&& entries) {
      sweep::ChunkFile file;
      file.header = {prepared.sweep_id, chunk.first, chunk.end, entries.size()};
      file.entries = std::move(entries);
      bytes += sweep::chunk_text(file).size();
    });
  state.counters["points"] = static_cast<double>(prepared.point_count);
  state.counters["points_per_second"] =
      benchmark::Counter(static_cast<double>(prepared.point_count) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
  state.counters["MB_of_chunk_files"] = static_cast<double>(bytes) / 1e6 / static_cast<double>(state.iterations());
}
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

// The same point as a huge sweep runs it: no trajectory table, rtol 1e-6, atol 1e-9.
static void BM_TheoryPointSweepTolerance(benchmark::State& state) {
  const sweep::TheoryPointRunner runner(/*trajectory=*/false);
  core::Config config;
  config.apply_set("theory.rtol=1e-6");
  config.apply_set("theory.atol=1e-9");
  for (auto _ : state) {
    const auto record = runner.run(config);
    benchmark::DoNotOptimize(record.milestones.data());
  }
}
BENCHMARK(BM_TheoryPointSweepTolerance)->Unit(benchmark::kMillisecond);

// Building and checking the 10^4 points (done once before a sweep starts); argument = threads.
static void BM_PrepareGrid100x100(benchmark::State& state) {
  for (auto _ : state) {
    auto prepared = sweep::prepare_sweep(sweep::parse_sweep(grid_sweep, ".", "bench"), static_cast<int>(state.range(0)));
    benchmark::DoNotOptimize(prepared.point_count);
  }
}
BENCHMARK(BM_PrepareGrid100x100)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime();

// The whole grid in memory (each chunk's file text made, not written): argument = threads.
static void BM_TheoryGrid100x100(benchmark::State& state) { run_grid(state, grid_sweep); }
BENCHMARK(BM_TheoryGrid100x100)->Arg(1)->Arg(2)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

static void BM_TheoryGrid100x100SweepTolerance(benchmark::State& state) { run_grid(state, grid_sweep_fast); }
BENCHMARK(BM_TheoryGrid100x100SweepTolerance)->Arg(1)->Arg(2)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
