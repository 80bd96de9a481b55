// Sweep throughput: one theory point at the defaults, and the 100 x 100 theory grid of the sweeps
// issue (eta_A and sigma2 on log grids, every other key at its default) on 1 and 2 worker threads,
// as it runs by default (rtol 1e-10, trajectories kept) and as a huge sweep runs it (the tolerance
// of bench/sweep_million.toml, docs/sweeps.md "Tolerance", milestones only). Parallel efficiency = (rate on 2) / (2 x rate on 1).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

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

// The 10^6-point sweep of BENCHMARKS.md: its base config holds the sweep tolerance of docs/sweeps.md.
sweep::SweepPlan million_plan() {
  return sweep::read_sweep_file(std::string(COTDYN_SOURCE_DIR) + "/bench/sweep_million.toml");
}

// The 100 x 100 grid as the huge sweep runs it: its base config (rtol 1e-6, atol 1e-9), milestones only.
sweep::SweepPlan grid_plan_fast() {
  sweep::SweepPlan plan = sweep::parse_sweep(grid_sweep, ".", "bench");
  plan.base = million_plan().base;
  plan.trajectories = false;
  return plan;
}

void run_grid(benchmark::State& state, sweep::SweepPlan plan) {
  const int threads = static_cast<int>(state.range(0));
  const auto prepared = sweep::prepare_sweep(std::move(plan));
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

// The same point as the huge sweep runs it: no trajectory table, its tolerance.
static void BM_TheoryPointSweepTolerance(benchmark::State& state) {
  const sweep::TheoryPointRunner runner(/*trajectory=*/false);
  const core::Config config = million_plan().base;
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
static void BM_TheoryGrid100x100(benchmark::State& state) { run_grid(state, sweep::parse_sweep(grid_sweep, ".", "bench")); }
BENCHMARK(BM_TheoryGrid100x100)->Arg(1)->Arg(2)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

static void BM_TheoryGrid100x100SweepTolerance(benchmark::State& state) { run_grid(state, grid_plan_fast()); }
BENCHMARK(BM_TheoryGrid100x100SweepTolerance)->Arg(1)->Arg(2)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

namespace {
// Every point's milestones of the 100 x 100 grid, milestones only, at (rtol, atol).
std::vector<std::vector<double>> grid_milestones(double rtol, double atol, int threads, std::vector<std::string>& names) {
  const std::string text = fmt::format(
      "kind = \"theory\"\ntrajectories = false\n[set]\n\"theory.rtol\" = {}\n\"theory.atol\" = {}\n[axes]\n"
      "\"train.eta_A\" = {{ log = [0.25, 16, 100] }}\n\"model.sigma2\" = {{ log = [1e-4, 1e-1, 100] }}\n",
      rtol, atol);
  const auto prepared = sweep::prepare_sweep(sweep::parse_sweep(text, ".", "bench"));
  names = prepared.milestone_names;
  std::vector<std::vector<double>> milestones(prepared.point_count);
  sweep::run_chunks(prepared, sweep::chunks_to_run(prepared, sweep::Shard{}, {}), threads,
                    [&](const sweep::Chunk&, std::vector<sweep::PointEntry>&& entries) {
                      for (auto& entry : entries) milestones[entry.point] = std::move(entry.milestones);
                    });
  return milestones;
}
}  // namespace

// What a looser tolerance costs in accuracy (docs/sweeps.md, "Tolerance"): the 100 x 100 grid at the
// argument's (rtol, atol) against the default rtol 1e-10, atol 1e-12 (argument 0, which therefore
// differs by nothing and gives the default's speed). Counters: the grid's points per second on 2
// threads, the largest |difference| of t_half, Q_max, t_Q_max and the accuracies over the grid
// (absolute, and for t_half and Q_max relative), and the points whose lock-on (t_half reached or not
// by t_max) differs.
static void BM_GridToleranceCost(benchmark::State& state) {
  static const std::vector<std::pair<double, double>> tolerances = {
      {1e-10, 1e-12}, {1e-8, 1e-11}, {1e-7, 1e-10}, {1e-6, 1e-9}, {1e-5, 1e-8}, {1e-4, 1e-7}};
  std::vector<std::string> names;
  static const auto reference = grid_milestones(tolerances[0].first, tolerances[0].second, 2, names);
  const auto [rtol, atol] = tolerances.at(static_cast<std::size_t>(state.range(0)));
  state.SetLabel(fmt::format("rtol {:g}, atol {:g}", rtol, atol));
  std::vector<std::vector<double>> loose;
  for (auto _ : state) loose = grid_milestones(rtol, atol, 2, names);
  auto column = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(names.begin(), names.end(), name) - names.begin());
  };
  auto largest = [&](const std::string& name, bool relative) {
    const std::size_t k = column(name);
    double worst = 0;
    for (std::size_t i = 0; i < reference.size(); ++i) {
      const double a = reference[i][k], b = loose[i][k];
      if (std::isnan(a) || std::isnan(b)) continue;
      worst = std::max(worst, std::abs(b - a) / (relative ? std::abs(a) : 1.0));
    }
    return worst;
  };
  std::size_t lock_on_differs = 0;
  for (std::size_t i = 0; i < reference.size(); ++i)
    lock_on_differs += std::isnan(reference[i][column("t_half")]) != std::isnan(loose[i][column("t_half")]) ? 1 : 0;
  state.counters["points_per_second"] = benchmark::Counter(static_cast<double>(reference.size()) *
                                                               static_cast<double>(state.iterations()),
                                                           benchmark::Counter::kIsRate);
  state.counters["max_dt_half"] = largest("t_half", false);
  state.counters["max_rel_dt_half"] = largest("t_half", true);
  state.counters["max_dQ_max"] = largest("Q_max", false);
  state.counters["max_rel_dQ_max"] = largest("Q_max", true);
  state.counters["max_dt_Q_max"] = largest("t_Q_max", false);
  state.counters["max_d_plateau_acc"] = largest("plateau_step_acc", false);
  state.counters["max_d_final_rollout"] = largest("final_rollout_acc", false);
  state.counters["lock_on_differs"] = static_cast<double>(lock_on_differs);
}
BENCHMARK(BM_GridToleranceCost)->DenseRange(0, 5)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
