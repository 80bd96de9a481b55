// The theory command as a library call from C++: the config resolved from the embedded defaults and
// the state-tracking model's theory_run() (commands::run_theory, nothing written), exactly the call
// `cotdyn.theory()` makes from Python. bench/python_theory_bench.py times the Python side; the ratio
// is the module's overhead (BENCHMARKS.md).
#include <benchmark/benchmark.h>

#include <cotdyn/analysis/commands/theory_command.hpp>

namespace {

void BM_TheoryCommand(benchmark::State& state) {
  cotdyn::commands::CommandOptions options;
  for (auto _ : state) {
    const cotdyn::core::Config config = cotdyn::commands::load_config({});
    auto run = cotdyn::commands::run_theory(config, "", options);
    benchmark::DoNotOptimize(run.trajectory.rows.data());
  }
}
BENCHMARK(BM_TheoryCommand)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace

BENCHMARK_MAIN();
