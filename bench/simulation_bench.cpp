// Speed of the simulator (docs/theory.md sections 1-3): seed-steps per second of both logic storages, the
// default workload end to end, and the machine's single-precision matrix-multiply throughput that
// the tensor storage is compared against. Baselines: baselines/simulation_numpy_coefficients.py and
// baselines/simulation_torch_tensor.py.
#include <benchmark/benchmark.h>

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <cotdyn/core/config.hpp>
#include <cotdyn/models/state_tracking/resolve_simulation.hpp>
#include <cotdyn/simulation/state_tracking/coefficient_logic_model.hpp>
#include <cotdyn/simulation/state_tracking/measure.hpp>
#include <cotdyn/simulation/state_tracking/system.hpp>
#include <cotdyn/simulation/state_tracking/settings.hpp>
#include <cotdyn/simulation/state_tracking/train.hpp>

using namespace cotdyn::simulation;

namespace {

SimulationSettings bench_settings(LogicStorage logic, int d, int seeds, Precision dtype, int threads = 0) {
  SimulationSettings s = cotdyn::models::state_tracking::resolve_simulation_settings(cotdyn::core::Config());
  s.observation_times.clear();
  s.logic = logic;
  s.d = d;
  s.seeds = seeds;
  s.dtype = dtype;
  s.eval_sequences = 100;
  s.threads = threads;
  return s;
}

// args: d, seeds. Counter seed_steps/s = SGD steps x seeds per second. threads = model.threads.
void run_steps(benchmark::State& state, LogicStorage logic, Precision dtype, int threads = 0) {
  const int d = static_cast<int>(state.range(0)), seeds = static_cast<int>(state.range(1));
  auto system = make_permutation_tracking_system(bench_settings(logic, d, seeds, dtype, threads));
  for (int warmup = 0; warmup < 3; ++warmup) system->train_step();
  for (auto _ : state) benchmark::DoNotOptimize(system->train_step());
  state.counters["seed_steps/s"] = benchmark::Counter(static_cast<double>(state.iterations()) * seeds,
                                                      benchmark::Counter::kIsRate);
  if (logic == LogicStorage::tensor) {
    // Three products of Q = B L queries with the d^3 tensor per seed-step (forward, dW, d(v x x)).
    const double flop = 3.0 * 2.0 * 4 * 9 * static_cast<double>(d) * d * d * seeds;
    state.counters["GFLOP/s"] = benchmark::Counter(static_cast<double>(state.iterations()) * flop * 1e-9,
                                                   benchmark::Counter::kIsRate);
  }
}

void BM_CoefficientSteps(benchmark::State& state) { run_steps(state, LogicStorage::coefficients, Precision::float64); }
// The same with model.threads = 2: the step's seeds on both cores (SeedRunner).
void BM_CoefficientStepsTwoThreads(benchmark::State& state) {
  run_steps(state, LogicStorage::coefficients, Precision::float64, 2);
}
void BM_TensorStepsFloat32(benchmark::State& state) { run_steps(state, LogicStorage::tensor, Precision::float32); }
void BM_TensorStepsFloat64(benchmark::State& state) { run_steps(state, LogicStorage::tensor, Precision::float64); }

// The coefficient step alone on one fixed batch (no sampling, no loss conversion): what a step of
// BM_CoefficientSteps spends outside the step itself is the difference. args: d, seeds.
void BM_CoefficientStepAlone(benchmark::State& state) {
  const int d = static_cast<int>(state.range(0)), seeds = static_cast<int>(state.range(1));
  const auto task = default_permutation_task();
  std::vector<std::uint64_t> seed_list;
  for (int e = 0; e < seeds; ++e) seed_list.push_back(11 + e);
  CoefficientLogicModel model(draw_initialisation(task.num_states(), task.num_actions(), d, 0.01, seed_list), 9,
                              at::TensorOptions().dtype(at::kDouble));
  const EvaluationSet set = make_evaluation_set(task, 9, 4, 5, at::kCPU);
  const at::Tensor actions = set.actions.unsqueeze(0).expand({seeds, 4, 9}).contiguous();
  const at::Tensor states = set.states.unsqueeze(0).expand({seeds, 4, 10}).contiguous();
  const at::Tensor targets = clean_targets(states);
  // A small learning rate keeps the weights near where they start however many steps the timing takes.
  for (auto _ : state) benchmark::DoNotOptimize(model.closed_form_step(actions, states, targets, 1e-3, 1e-3));
  state.counters["seed_steps/s"] = benchmark::Counter(static_cast<double>(state.iterations()) * seeds,
                                                      benchmark::Counter::kIsRate);
}

// The default workload: 5 seeds, d = 256, t = 100, coefficient form, float64, 41 observations.
void BM_DefaultWorkload(benchmark::State& state) {
  auto settings = bench_settings(LogicStorage::coefficients, 256, 5, Precision::float64);
  settings.eval_sequences = 2000;
  for (int i = 0; i <= 40; ++i) settings.observation_times.push_back(2.5 * i);
  RunOptions quiet;
  quiet.progress = false;
  for (auto _ : state) benchmark::DoNotOptimize(train(settings, quiet));
}

// Matrix multiply throughput of this machine through LibTorch (2 n^3 flop), single and double precision:
// the measured peaks that BENCHMARKS.md states each benchmark's fraction of.
template <at::ScalarType type>
void BM_Gemm(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const auto options = at::TensorOptions().dtype(type);
  at::Tensor a = at::randn({n, n}, options), b = at::randn({n, n}, options), c = at::empty({n, n}, options);
  for (auto _ : state) at::mm_out(c, a, b);
  state.counters["GFLOP/s"] = benchmark::Counter(static_cast<double>(state.iterations()) * 2.0 * n * n * n * 1e-9,
                                                 benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK(BM_CoefficientSteps)->ArgsProduct({{64, 128, 256}, {1, 5}})->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_CoefficientStepAlone)->ArgsProduct({{256}, {1, 5}})->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_CoefficientStepsTwoThreads)->ArgsProduct({{64, 256}, {5}})->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TensorStepsFloat32)->ArgsProduct({{64, 128, 256}, {1, 5}})->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TensorStepsFloat64)->Args({64, 1})->Args({256, 1})->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DefaultWorkload)->Iterations(1)->UseRealTime()->Unit(benchmark::kSecond);
BENCHMARK(BM_Gemm<at::kFloat>)->Name("BM_Sgemm")->Arg(1024)->Arg(2048)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Gemm<at::kDouble>)->Name("BM_Dgemm")->Arg(1024)->Arg(2048)->UseRealTime()->Unit(benchmark::kMillisecond);
