// Speed of `cotdyn interaction` on the full default table (9 activations, r = 1..4, T = 4..64, 5e4 antithetic
// pairs per measured cell). Target (issue): prediction + measurement under 60 s on 2 cores.
#include <benchmark/benchmark.h>

#include <cmath>

#include <cotdyn/interaction/prediction.hpp>
#include <cotdyn/interaction/settings.hpp>
#include <cotdyn/interaction/slopes.hpp>
#ifdef COTDYN_INTERACTION_BENCH_MEASURE
#include <cotdyn/interaction/measure.hpp>
#endif

namespace ci = cotdyn::interaction;

static void BM_InteractionPredictDefaultTable(benchmark::State& state) {
  const ci::InteractionSettings settings;
  for (auto _ : state) {
    auto rows = ci::predict_rows(settings);
    benchmark::DoNotOptimize(ci::fit_slopes(rows, settings.v));
  }
}
BENCHMARK(BM_InteractionPredictDefaultTable)->Unit(benchmark::kMillisecond);

#ifdef COTDYN_INTERACTION_BENCH_MEASURE
static void BM_InteractionFullDefaultTable(benchmark::State& state) {
  const ci::InteractionSettings settings;
  // Cells whose estimator has no randomness left (polynomial activations, symmetry zeros, T = r + 1 ...) have a
  // standard error at rounding level: they count as agreeing when equal to exact to 1e-10 relative (LibTorch's
  // vectorised exp etc. are accurate to about an ulp; observed worst 1.1e-12, exp r = 2 T = 4).
  int within_3se = 0, measured = 0, rounding_level = 0;
  for (auto _ : state) {
    auto rows = ci::predict_rows(settings);
    ci::measure_rows(rows, settings.samples, settings.seed);
    benchmark::DoNotOptimize(ci::fit_slopes(rows, settings.v));
    within_3se = measured = rounding_level = 0;
    for (const auto& row : rows)
      if (std::isfinite(row.delta_measured)) {
        ++measured;
        const double error = std::abs(row.delta_measured - row.delta_exact);
        if (row.std_error <= 1e-12 * std::abs(row.delta_exact) + 1e-15)
          rounding_level += error <= 1e-10 * std::abs(row.delta_exact) + 1e-15;
        else
          within_3se += error <= 3 * row.std_error;
      }
  }
  state.counters["cells_measured"] = measured;
  state.counters["cells_within_3se"] = within_3se;
  state.counters["cells_exact_to_rounding"] = rounding_level;
}
BENCHMARK(BM_InteractionFullDefaultTable)->Unit(benchmark::kSecond)->Iterations(1);
#endif
