// A theory sweep point against the full `cotdyn theory` run (meanfield::run_theory) at the same config.
#include <doctest/doctest.h>

#include <cmath>

#include <cotdyn/core/observation_grid.hpp>
#include <cotdyn/core/config.hpp>
#include <cotdyn/models/state_tracking/resolve.hpp>
#include <cotdyn/analysis/sweep/point_runner.hpp>
#include <cotdyn/analysis/sweep/theory_point.hpp>
#include <cotdyn/meanfield/state_tracking/theory_run.hpp>
#include <cotdyn/models/registry.hpp>

using namespace cotdyn;

namespace {
double milestone(const sweep::PointRecord& record, const std::string& name) {
  const auto names = sweep::TheoryPointRunner().milestone_names();
  for (std::size_t k = 0; k < names.size(); ++k)
    if (names[k] == name) return record.milestones[k];
  FAIL("no milestone " << name);
  return 0;
}
}  // namespace

TEST_CASE("theory point milestones equal those of the full theory run") {
  const core::Config config;  // the defaults: lock-on happens before t_max = 100
  const auto record = sweep::TheoryPointRunner().run(config);
  const auto parameters = models::state_tracking::resolve_model_parameters(config);
  const auto tolerances = models::state_tracking::resolve_tolerances(config);
  const double d = static_cast<double>(config.get_integer("model.d"));
  const auto full = meanfield::run_theory(parameters, core::resolve_observation_times(config), tolerances, {d});

  CHECK(milestone(record, "t_half") == doctest::Approx(full.milestones.lock_on_time).epsilon(1e-12));
  CHECK(milestone(record, "t_half_estimate") == full.milestones.lock_on_estimate);
  CHECK(milestone(record, "Q_max") == doctest::Approx(full.milestones.offtarget_peak).epsilon(1e-12));
  CHECK(milestone(record, "t_Q_max") == doctest::Approx(full.milestones.offtarget_peak_time).epsilon(1e-9));
  const auto& last = full.rows.back();
  CHECK(milestone(record, "final_step_acc") == doctest::Approx(last.step_acc_ld[0]).epsilon(1e-12));
  CHECK(milestone(record, "final_rollout_acc") == doctest::Approx(last.rollout_acc_ld[0]).epsilon(1e-12));
  CHECK(milestone(record, "final_step_acc_inf") == doctest::Approx(last.step_acc_inf).epsilon(1e-12));

  // The trajectory table holds the same observation rows as theory.csv (without the LD columns).
  REQUIRE(record.trajectory.size() == full.rows.size());
  CHECK(record.trajectory_columns[1] == "M");
  for (std::size_t i = 0; i < full.rows.size(); i += 10) {
    CHECK(record.trajectory[i][0] == full.rows[i].t);
    CHECK(record.trajectory[i][1] == doctest::Approx(full.rows[i].state.attention_retrieval).epsilon(1e-12));
    CHECK(record.trajectory[i][7] == doctest::Approx(full.rows[i].loss).epsilon(1e-12));
  }
}

TEST_CASE("the plateau accuracy is the LD per-step accuracy at t_half / 2") {
  core::Config config;
  const auto record = sweep::TheoryPointRunner().run(config);
  const double t_half = milestone(record, "t_half");
  REQUIRE(std::isfinite(t_half));
  // An independent route: the full run observed at t_half / 2.
  const auto parameters = models::state_tracking::resolve_model_parameters(config);
  const double d = static_cast<double>(config.get_integer("model.d"));
  const auto full = meanfield::run_theory(parameters, {0.0, 0.5 * t_half}, models::state_tracking::resolve_tolerances(config), {d});
  CHECK(milestone(record, "plateau_step_acc") == doctest::Approx(full.rows.back().step_acc_ld[0]).epsilon(1e-9));
  // On the plateau the per-step accuracy is well below its final value.
  CHECK(milestone(record, "plateau_step_acc") < 0.5 * milestone(record, "final_step_acc"));
}

TEST_CASE("without lock-on before t_max the lock-on milestones are NaN, the final ones are not") {
  core::Config config;
  config.apply_set("train.t_max=20");
  const auto record = sweep::TheoryPointRunner().run(config);
  CHECK(std::isnan(milestone(record, "t_half")));
  CHECK(std::isnan(milestone(record, "plateau_step_acc")));
  CHECK(std::isfinite(milestone(record, "final_step_acc")));
}

TEST_CASE("the final accuracies use t_max even when the observation grid stops earlier") {
  core::Config early;
  early.apply_set("observe.times=[0.0, 10.0, 50.0]");
  const auto a = sweep::TheoryPointRunner().run(early);
  const auto b = sweep::TheoryPointRunner().run(core::Config());
  CHECK(a.trajectory.size() == 3);
  CHECK(milestone(a, "final_step_acc") == doctest::Approx(milestone(b, "final_step_acc")).epsilon(1e-8));
}

TEST_CASE("without its trajectory table a theory point has the same milestones, bit for bit") {
  for (const std::string& set : {"train.t_max=100", "train.t_max=20", "observe.times=[0.0, 10.0, 50.0]"}) {
    CAPTURE(set);
    core::Config config;
    config.apply_set(set);
    const auto with = sweep::TheoryPointRunner(/*trajectory=*/true).run(config);
    const auto without = sweep::TheoryPointRunner(/*trajectory=*/false).run(config);
    CHECK(!with.trajectory.empty());
    CHECK(without.trajectory.empty());
    CHECK(without.trajectory_columns.empty());
    REQUIRE(with.milestones.size() == without.milestones.size());
    for (std::size_t k = 0; k < with.milestones.size(); ++k) {
      CAPTURE(k);
      CHECK((with.milestones[k] == without.milestones[k] || (std::isnan(with.milestones[k]) && std::isnan(without.milestones[k]))));
    }
  }
}

TEST_CASE("simulate and compare kinds run when the simulator is built, and say what they need otherwise") {
#ifdef COTDYN_SWEEP_WITH_SIMULATION
  CHECK(sweep::make_point_runner(sweep::SweepKind::simulate, models::model_named("state_tracking"), core::Config())->milestone_names().front() == "t_half");
  CHECK(sweep::make_point_runner(sweep::SweepKind::compare, models::model_named("state_tracking"), core::Config())->milestone_names().front() == "theory_t_half");
#else
  CHECK_THROWS_WITH_AS(sweep::make_point_runner(sweep::SweepKind::compare, models::model_named("state_tracking"), core::Config()),
                       doctest::Contains("kind = \"compare\" needs"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(sweep::make_point_runner(sweep::SweepKind::simulate, models::model_named("state_tracking"), core::Config()),
                       doctest::Contains("kind = \"simulate\" needs"), std::invalid_argument);
#endif
}

TEST_CASE("jobs in flight: one per core, never more than the jobs") {
  CHECK(sweep::jobs_in_flight(0, 4) == 0);
  CHECK(sweep::jobs_in_flight(1, 4) == 1);
  CHECK(sweep::jobs_in_flight(3, 4) == 3);
  CHECK(sweep::jobs_in_flight(4, 4) == 4);
  CHECK(sweep::jobs_in_flight(10, 4) == 4);
  CHECK(sweep::jobs_in_flight(10, 1) == 1);
  CHECK(sweep::jobs_in_flight(10, -3) == sweep::jobs_in_flight(10));  // 0 or less: all cores
  CHECK(sweep::jobs_in_flight(1000) >= 1);
  CHECK(sweep::jobs_in_flight(1) == 1);
}
