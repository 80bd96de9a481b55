// Simulation sweep points against the simulation library run directly: the settings equal those of
// `cotdyn simulate` (its own resolution, compiled in), the milestones are read off simulation::train's
// measurements at the same seeds, the thread rule never oversubscribes, compare points hold exactly a
// theory point's and a simulate point's milestones.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <map>
#include <string>

#include <cotdyn/core/config.hpp>
#include <cotdyn/analysis/compare/discrepancy.hpp>
#include <cotdyn/models/state_tracking/resolve_simulation.hpp>
#include <cotdyn/analysis/sweep/point_runner.hpp>
#include <cotdyn/analysis/sweep/simulate_point.hpp>
#include <cotdyn/analysis/sweep/theory_point.hpp>
#include <cotdyn/simulation/state_tracking/train.hpp>
#include <cotdyn/models/state_tracking/model.hpp>

using namespace cotdyn;

namespace {
// A small point: d = 16, 2 seeds, lock-on near t = 35 of t_max = 45, about 0.3 s.
core::Config small_config() {
  core::Config config;
  for (const char* set : {"model.d=16", "train.seeds=2", "train.t_max=45", "train.eta_A=4.0",
                          "observe.times=linear:0:t_max:10"})
    config.apply_set(set);
  return config;
}

double milestone(const std::vector<std::string>& names, const sweep::PointRecord& record, const std::string& name) {
  for (std::size_t k = 0; k < names.size(); ++k)
    if (names[k] == name) return record.milestones.at(k);
  FAIL("no milestone " << name);
  return 0;
}

// Per time, per seed values of one measured column.
std::map<double, std::vector<double>> by_time(const simulation::TrainingResult& result, const std::string& column) {
  std::map<double, std::vector<double>> values;
  for (const auto& row : result.measurements) values[row.t].push_back(result.value(row, column));
  return values;
}

double mean(const std::vector<double>& v) {
  double sum = 0;
  for (double x : v) sum += x;
  return sum / v.size();
}
}  // namespace

TEST_CASE("a simulate point resolves the config as `cotdyn simulate` does, plus t_max on the grid") {
  core::Config config = small_config();
  config.apply_set("observe.times=[0.0, 10.0, 20.0]");
  const auto cli_settings = models::state_tracking::resolve_simulation_settings(config);
  const auto point = sweep::resolve_point_simulation(config);
  CHECK(point.task.num_states() == cli_settings.task.num_states());
  CHECK(point.task.transition == cli_settings.task.transition);
  CHECK(point.L == cli_settings.L);
  CHECK(point.d == cli_settings.d);
  CHECK(point.sigma2 == cli_settings.sigma2);
  CHECK(point.logic == cli_settings.logic);
  CHECK(point.dtype == cli_settings.dtype);
  CHECK(point.device == cli_settings.device);
  CHECK(point.threads == cli_settings.threads);
  CHECK(point.eta_W == cli_settings.eta_W);
  CHECK(point.eta_A == cli_settings.eta_A);
  CHECK(point.batch == cli_settings.batch);
  CHECK(point.t_max == cli_settings.t_max);
  CHECK(point.seeds == cli_settings.seeds);
  CHECK(point.base_seed == cli_settings.base_seed);
  CHECK(point.eval_sequences == cli_settings.eval_sequences);
  CHECK(point.eval_seed == cli_settings.eval_seed);
  CHECK(point.observation_times == std::vector<double>{0.0, 10.0, 20.0, 45.0});

  // Bad values name the key, the value and what is allowed.
  core::Config bad = small_config();
  bad.apply_set("model.d=20");
  CHECK_THROWS_WITH_AS(sweep::SimulatePointRunner().check(bad), doctest::Contains("model.d = 20"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(sweep::SimulatePointRunner().check(bad), doctest::Contains("multiple of 2(L-1) = 16"),
                       std::invalid_argument);
  core::Config no_group = small_config();
  no_group.apply_set("task.group=\"\"");
  no_group.apply_set("task.n=24");
  no_group.apply_set("task.K=4");
  CHECK_THROWS_WITH_AS(sweep::ComparePointRunner().check(no_group), doctest::Contains("task.group"),
                       std::invalid_argument);
}

TEST_CASE("intra-op threads: (points in flight) x (threads) never exceeds the cores") {
  simulation::SimulationSettings s;
  s.logic = simulation::LogicStorage::coefficients;
  s.threads = 0;
  CHECK(sweep::intra_op_threads(s, 1, 8) == 1);  // the coefficient storage is fastest on one thread
  CHECK(sweep::intra_op_threads(s, 2, 2) == 1);
  s.logic = simulation::LogicStorage::tensor;
  CHECK(sweep::intra_op_threads(s, 1, 8) == 8);  // one point at a time: all cores
  CHECK(sweep::intra_op_threads(s, 2, 8) == 4);
  CHECK(sweep::intra_op_threads(s, 3, 8) == 2);
  CHECK(sweep::intra_op_threads(s, 2, 2) == 1);
  CHECK(sweep::intra_op_threads(s, 16, 2) == 1);  // more workers than cores: still one each
  s.threads = 3;                                  // model.threads asks; the budget caps it
  CHECK(sweep::intra_op_threads(s, 1, 8) == 3);
  CHECK(sweep::intra_op_threads(s, 4, 8) == 2);
  for (int in_flight = 1; in_flight <= 9; ++in_flight)
    for (int cores = 1; cores <= 9; ++cores)
      for (int threads : {0, 1, 2, 5})
        for (const auto logic : {simulation::LogicStorage::coefficients, simulation::LogicStorage::tensor}) {
          s.threads = threads;
          s.logic = logic;
          const int t = sweep::intra_op_threads(s, in_flight, cores);
          CHECK(t >= 1);
          if (in_flight <= cores) CHECK(in_flight * t <= cores);
        }
}

TEST_CASE("the measured milestones on synthetic curves") {
  compare::SimulatedRun run;
  run.d = 16;
  const std::vector<double> t = {0, 10, 20, 30, 40};
  const double level = std::log(8.0) * 8.0 / 9.0;  // M_1/2 at L = 9
  // Seed 1 crosses M_1/2 at t = 25 (log-linear), seed 2 at t = 35, the mean alpha crosses 1/2 at 30.
  const auto seed = [&](std::uint64_t id, std::vector<double> M, std::vector<double> alpha) {
    compare::SeedSeries s;
    s.seed = id;
    s.t = t;
    s.values["M"] = std::move(M);
    s.values["alpha"] = std::move(alpha);
    s.values["Q"] = {0, 0.3, 0.5, 0.4, 0.2};
    s.values["step_acc"] = {0.04, 0.2, 0.3, 0.9, 1.0};
    s.values["rollout_acc"] = {0, 0, 0.1, 0.6, 1.0};
    s.values["final_acc"] = {0, 0, 0.2, 0.7, 1.0};
    return s;
  };
  run.seeds.push_back(seed(0, {0.01, 0.1, level / 2, level * 2, 8}, {0.1, 0.1, 0.2, 0.8, 1}));
  run.seeds.push_back(seed(1, {0.01, 0.1, 0.5, level / 2, level * 2}, {0.1, 0.1, 0.2, 0.2, 1}));
  const auto names = sweep::simulated_milestone_names();
  sweep::PointRecord record;
  record.milestones = sweep::simulated_milestones(run, 9);
  CHECK(milestone(names, record, "t_half") == doctest::Approx(30));
  CHECK(milestone(names, record, "t_half_std") == doctest::Approx(5));
  CHECK(milestone(names, record, "locked_seeds") == 2);
  CHECK(milestone(names, record, "t_half_alpha") == doctest::Approx(30));  // mean alpha 0.5 there
  CHECK(milestone(names, record, "Q_max") == doctest::Approx(0.5));
  CHECK(milestone(names, record, "t_Q_max") == 20);
  CHECK(milestone(names, record, "plateau_step_acc") == doctest::Approx(0.25));  // at t = 15
  CHECK(milestone(names, record, "final_step_acc") == 1.0);
  CHECK(milestone(names, record, "final_rollout_acc") == 1.0);
  CHECK(milestone(names, record, "final_state_acc") == 1.0);
  CHECK(milestone(names, record, "seeds") == 2);

  // Without lock-on the lock-on milestones are NaN, the others are not.
  for (auto& s : run.seeds) s.values["M"] = {0.01, 0.02, 0.03, 0.04, 0.05};
  record.milestones = sweep::simulated_milestones(run, 9);
  CHECK(std::isnan(milestone(names, record, "t_half")));
  CHECK(std::isnan(milestone(names, record, "plateau_step_acc")));
  CHECK(milestone(names, record, "locked_seeds") == 0);
  CHECK(milestone(names, record, "final_step_acc") == 1.0);
}

TEST_CASE("a simulate point's milestones and trajectory equal simulation::train at the same config") {
  const core::Config config = small_config();
  sweep::SimulatePointRunner runner;
  runner.set_concurrency(2, 2);  // as in a sweep on 2 cores: one intra-op thread
  const auto record = runner.run(config);
  const auto names = runner.milestone_names();
  CHECK(record.run_info["intra_op_threads"] == 1);
  CHECK(record.run_info["failed_seeds"].empty());

  auto settings = models::state_tracking::resolve_simulation_settings(config);  // `cotdyn simulate`'s own resolution
  settings.threads = 1;
  simulation::RunOptions options;
  options.progress = false;
  const auto direct = simulation::train(settings, options);
  REQUIRE(direct.status.failures.empty());

  const auto step = by_time(direct, "step_acc"), Q = by_time(direct, "Q"), M = by_time(direct, "M");
  const double t_max = settings.t_max;
  CHECK(milestone(names, record, "final_step_acc") == doctest::Approx(mean(step.at(t_max))).epsilon(1e-14));
  CHECK(milestone(names, record, "final_rollout_acc") ==
        doctest::Approx(mean(by_time(direct, "rollout_acc").at(t_max))).epsilon(1e-14));
  CHECK(milestone(names, record, "final_state_acc") ==
        doctest::Approx(mean(by_time(direct, "final_acc").at(t_max))).epsilon(1e-14));
  double q_max = -1, t_q_max = -1;
  for (const auto& [t, values] : Q)
    if (mean(values) > q_max) {
      q_max = mean(values);
      t_q_max = t;
    }
  CHECK(milestone(names, record, "Q_max") == doctest::Approx(q_max).epsilon(1e-14));
  CHECK(milestone(names, record, "t_Q_max") == t_q_max);
  CHECK(milestone(names, record, "seeds") == 2);

  // Lock-on of each seed: first crossing of M_1/2 with log M interpolated (docs/theory.md §9.2).
  const double level = std::log(8.0) * 8.0 / 9.0;
  double sum = 0;
  for (int e = 0; e < 2; ++e) {
    std::vector<std::pair<double, double>> curve;
    for (const auto& row : direct.measurements)
      if (row.seed == settings.base_seed + e) curve.emplace_back(row.t, direct.value(row, "M"));
    double crossing = std::numeric_limits<double>::quiet_NaN();
    for (std::size_t i = 0; i + 1 < curve.size() && std::isnan(crossing); ++i)
      if (curve[i].second < level && curve[i + 1].second >= level)
        crossing = curve[i].first + (curve[i + 1].first - curve[i].first) * std::log(level / curve[i].second) /
                                        std::log(curve[i + 1].second / curve[i].second);
    REQUIRE(std::isfinite(crossing));  // both seeds lock on before t_max
    sum += crossing;
  }
  CHECK(milestone(names, record, "t_half") == doctest::Approx(sum / 2).epsilon(1e-12));
  CHECK(milestone(names, record, "locked_seeds") == 2);
  CHECK(milestone(names, record, "plateau_step_acc") > 0);
  CHECK(milestone(names, record, "plateau_step_acc") < milestone(names, record, "final_step_acc"));

  // The trajectory: the seed mean and standard deviation of every column at every observation.
  REQUIRE(record.trajectory.size() == M.size());
  CHECK(record.trajectory_columns[0] == "t");
  CHECK(record.trajectory_columns[1] == "M");
  CHECK(record.trajectory_columns[2] == "M_std");
  std::size_t i = 0;
  for (const auto& [t, values] : M) {
    CHECK(record.trajectory[i][0] == t);
    CHECK(record.trajectory[i][1] == doctest::Approx(mean(values)).epsilon(1e-14));
    CHECK(record.trajectory[i][2] == doctest::Approx(std::abs(values[0] - values[1]) / 2).epsilon(1e-12));
    ++i;
  }
}

TEST_CASE("a compare point holds a theory point's and a simulate point's milestones, and the discrepancies") {
  const core::Config config = small_config();
  const sweep::ComparePointRunner runner;
  const auto record = runner.run(config);
  const auto names = runner.milestone_names();
  REQUIRE(record.milestones.size() == names.size());

  const auto theory = sweep::TheoryPointRunner().run(config);
  const auto theory_names = sweep::TheoryPointRunner().milestone_names();
  for (std::size_t k = 0; k < theory_names.size(); ++k) {
    CAPTURE(theory_names[k]);
    const double a = milestone(names, record, "theory_" + theory_names[k]), b = theory.milestones[k];
    CHECK((a == b || (std::isnan(a) && std::isnan(b))));
  }
  // Same config, same seeds: the simulation half is the simulate point, bit for bit.
  const auto simulated = sweep::SimulatePointRunner().run(config);
  const auto simulated_names = sweep::simulated_milestone_names();
  for (std::size_t k = 0; k < simulated_names.size(); ++k) {
    CAPTURE(simulated_names[k]);
    const double a = milestone(names, record, "sim_" + simulated_names[k]), b = simulated.milestones[k];
    CHECK((a == b || (std::isnan(a) && std::isnan(b))));
  }
  CHECK(milestone(names, record, "t_half_diff") ==
        milestone(names, record, "sim_t_half") - milestone(names, record, "theory_t_half"));
  for (const auto& q : cotdyn::models::state_tracking::compared_quantities()) {
    CAPTURE(q.simulated);
    const double rms = milestone(names, record, "rms_" + q.simulated);
    CHECK(std::isfinite(rms));
    CHECK(rms > 0);
  }
  // The trajectory adds the theory on the simulation's grid; at t = 0 both start from the same place.
  const auto& columns = record.trajectory_columns;
  const auto column = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(columns.begin(), columns.end(), name) - columns.begin());
  };
  REQUIRE(column("theory_alpha") < columns.size());
  CHECK(record.trajectory.front()[column("theory_alpha")] == doctest::Approx(1.0 / 9.0));
  CHECK(record.trajectory.front()[column("alpha")] == doctest::Approx(1.0 / 9.0).epsilon(0.01));
  CHECK(record.trajectory.back()[column("t")] == 45.0);
}
