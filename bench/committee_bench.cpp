// The committee machine (docs/models/committee.md): one adaptive ODE solve at M = K = 2 to t = 1e4
// against fixed-step Euler (dt = 0.01, plain C++, the same right-hand side), both held to a tight
// reference; one right-hand side at M = K = 8; and the simulator at N = 1000, 5 seeds.
// Baseline of the simulator: baselines/simulation_committee_torch.py (plain eager PyTorch).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include <cotdyn/meanfield/committee/integrate.hpp>
#include <cotdyn/meanfield/committee/ode.hpp>
#ifdef COTDYN_COMMITTEE_BENCH_SIMULATION
#include <torch/torch.h>

#include <cotdyn/simulation/committee/input_stream.hpp>
#include <cotdyn/simulation/committee/network.hpp>
#include <cotdyn/simulation/committee/system.hpp>
#endif

using namespace cotdyn::meanfield::committee;

namespace {

constexpr double t_end = 1e4;

// Table A of docs/models/committee.md §5: erf, eta = 0.5, v fixed; it specialises at t = 90 and
// converges to the teacher.
State table_a_start() {
  State s{Eigen::MatrixXd(2, 2), Eigen::MatrixXd(2, 2), Eigen::MatrixXd::Identity(2, 2), Eigen::VectorXd::Ones(2)};
  s.Q << 0.5, 0.1, 0.1, 0.3;
  s.R << 0.1, 0.02, 0.01, 0.05;
  return s;
}

// The observation times of the solves: 10 log-spaced per decade from 0.01 to t_end (a multiple of
// Euler's dt at every time, so Euler is observed without interpolation).
const std::vector<double>& observation_times() {
  static const std::vector<double> times = [] {
    std::vector<double> t;
    for (double x : log_spaced_times(0.01, t_end, 10)) t.push_back(std::round(x * 100) / 100);
    t.erase(std::unique(t.begin(), t.end()), t.end());
    return t;
  }();
  return times;
}

// The tight reference: Dormand-Prince at rtol 1e-12, atol 1e-14.
const Trajectory& reference() {
  static const Trajectory r = integrate(Parameters{}, table_a_start(), observation_times(), Tolerances{1e-12, 1e-14});
  return r;
}

// Largest |x - reference| over the packed state and eps_g at every observation time.
double max_error(const std::vector<std::vector<double>>& columns) {
  double error = 0;
  for (std::size_t c = 0; c < columns.size(); ++c)
    for (std::size_t j = 0; j < columns[c].size(); ++j)
      error = std::max(error, std::abs(columns[c][j] - reference().columns[c][j]));
  return error;
}

// Fixed-step explicit Euler with the same right-hand side (Ode), observed at observation_times().
std::vector<std::vector<double>> euler(double dt) {
  const Ode ode(Parameters{}, table_a_start().T);
  std::vector<double> x = pack(table_a_start()), dxdt(x.size());
  std::vector<std::vector<double>> columns(x.size() + 1);
  auto observe = [&] {
    columns[0].push_back(generalisation_error(ode.parameters(), unpack(x, 2, ode.T())));
    for (std::size_t c = 0; c < x.size(); ++c) columns[c + 1].push_back(x[c]);
  };
  std::int64_t step = 0;
  for (double t_obs : observation_times()) {
    const auto target = std::llround(t_obs / dt);
    for (; step < target; ++step) {
      ode(x, dxdt, 0.0);
      for (std::size_t c = 0; c < x.size(); ++c) x[c] += dt * dxdt[c];
    }
    observe();
  }
  return columns;
}

}  // namespace

// Dormand-Prince 5(4) with dense output, rtol 1e-8 (atol 1e-10).
static void BM_CommitteeSolveDopri(benchmark::State& state) {
  Trajectory run;
  for (auto _ : state) {
    run = integrate(Parameters{}, table_a_start(), observation_times(), Tolerances{1e-8, 1e-10});
    benchmark::DoNotOptimize(run.columns.data());
  }
  state.counters["steps"] = static_cast<double>(run.steps);
  state.counters["max_error"] = max_error(run.columns);
}
BENCHMARK(BM_CommitteeSolveDopri)->Unit(benchmark::kMillisecond)->UseRealTime();

static void BM_CommitteeSolveEuler(benchmark::State& state) {
  std::vector<std::vector<double>> columns;
  for (auto _ : state) {
    columns = euler(0.01);
    benchmark::DoNotOptimize(columns.data());
  }
  state.counters["steps"] = t_end / 0.01;
  state.counters["max_error"] = max_error(columns);
}
BENCHMARK(BM_CommitteeSolveEuler)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

// One right-hand side at M = K = 8 from a generic state (Q = 0.5 I + 0.05, R = 0.1 + 0.2 I).
static void BM_CommitteeRhsK8(benchmark::State& state) {
  Parameters p;
  p.M = p.K = 8;
  p.v_star = Eigen::VectorXd::Ones(8);
  p.eta_v = 0.5;
  p.sigma = 0.1;
  State s{0.5 * Eigen::MatrixXd::Identity(8, 8) + Eigen::MatrixXd::Constant(8, 8, 0.05),
          Eigen::MatrixXd::Constant(8, 8, 0.1) + 0.2 * Eigen::MatrixXd::Identity(8, 8),
          Eigen::MatrixXd::Identity(8, 8), Eigen::VectorXd::Ones(8)};
  const Ode ode(p, s.T);
  const std::vector<double> x = pack(s);
  std::vector<double> dxdt(x.size());
  for (auto _ : state) {
    ode(x, dxdt, 0.0);
    benchmark::DoNotOptimize(dxdt.data());
  }
}
BENCHMARK(BM_CommitteeRhsK8)->Unit(benchmark::kMicrosecond);

#ifdef COTDYN_COMMITTEE_BENCH_SIMULATION
// One SGD step of 5 seeds at N = 1000 (erf, M = K = 2, the fused step, float64, one thread);
// items per second are seed-steps per second.
static void BM_CommitteeSimulation(benchmark::State& state) {
  cotdyn::simulation::committee::CommitteeSettings settings;
  settings.N = 1000;
  settings.seeds = 5;
  settings.test_size = 1;  // no observation is timed
  settings.threads = 1;
  cotdyn::simulation::committee::CommitteeSystem system(settings);
  for (int i = 0; i < 100; ++i) system.train_step();  // warm-up
  for (auto _ : state) benchmark::DoNotOptimize(system.train_step().data());
  state.SetItemsProcessed(state.iterations() * settings.seeds);
}
BENCHMARK(BM_CommitteeSimulation)->Unit(benchmark::kMicrosecond)->UseRealTime()->MinTime(2.0);

// The floor of that step: only its input draws, one normal_ of N = 1000 doubles from each of the 5
// seeds' own generators (docs/models/committee.md §8.1), as the step draws them.
// The step's input draws alone: 1000 normals from each seed's input stream (input_stream.hpp).
static void BM_CommitteeSimulationDraws(benchmark::State& state) {
  cotdyn::simulation::committee::CommitteeSettings settings;
  settings.N = 1000;
  settings.seeds = 5;
  std::vector<cotdyn::simulation::committee::InputStream> streams;
  for (int e = 0; e < settings.seeds; ++e) streams.emplace_back(settings.base_seed + static_cast<std::uint64_t>(e));
  std::vector<double> x(static_cast<std::size_t>(settings.seeds * settings.N));
  for (auto _ : state) {
    for (int e = 0; e < settings.seeds; ++e) streams[static_cast<std::size_t>(e)].fill(x.data() + e * settings.N, settings.N);
    benchmark::DoNotOptimize(x.data());
  }
  state.SetItemsProcessed(state.iterations() * settings.seeds);
}
BENCHMARK(BM_CommitteeSimulationDraws)->Unit(benchmark::kMicrosecond)->UseRealTime()->MinTime(2.0);

// The same draws as LibTorch's normal_ on each seed's row from its own generator: how the inputs
// were drawn before they had their own streams (docs/models/committee.md §8.4), and how the
// PyTorch baseline draws them.
static void BM_CommitteeSimulationDrawsLibTorch(benchmark::State& state) {
  cotdyn::simulation::committee::CommitteeSettings settings;
  settings.N = 1000;
  settings.seeds = 5;
  at::set_num_threads(1);
  auto generators = cotdyn::simulation::committee::seed_generators(settings);
  auto x = torch::empty({settings.seeds, settings.N}, torch::TensorOptions().dtype(torch::kDouble));
  std::vector<torch::Tensor> rows;
  for (int e = 0; e < settings.seeds; ++e) rows.push_back(x[e]);
  for (auto _ : state) {
    for (int e = 0; e < settings.seeds; ++e) rows[e].normal_(0, 1, generators[e]);
    benchmark::DoNotOptimize(x.data_ptr<double>());
  }
  state.SetItemsProcessed(state.iterations() * settings.seeds);
}
BENCHMARK(BM_CommitteeSimulationDrawsLibTorch)->Unit(benchmark::kMicrosecond)->UseRealTime()->MinTime(2.0);
#endif

BENCHMARK_MAIN();
