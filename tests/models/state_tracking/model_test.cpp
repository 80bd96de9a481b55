// The state-tracking model behind the contract: its name, its pairs, and its theory equal to the
// mean-field solver's output for the same config.
#include <doctest/doctest.h>

#include <cmath>

#include <cotdyn/core/observation_grid.hpp>
#include <cotdyn/meanfield/state_tracking/theory_run.hpp>
#include <cotdyn/models/registry.hpp>
#include <cotdyn/models/state_tracking/model.hpp>
#include <cotdyn/models/state_tracking/resolve.hpp>

using namespace cotdyn;

TEST_CASE("the compared quantities are the nine documented pairs, R_c and Q_c against the theory's R and Q") {
  const auto pairs = models::state_tracking::compared_quantities();
  REQUIRE(pairs.size() == 9);
  const std::vector<std::string> simulated = {"M", "alpha", "R", "Q", "R_c", "Q_c", "step_acc", "rollout_acc", "final_acc"};
  const std::vector<std::string> theory = {"M", "alpha", "R", "Q", "R", "Q", "step_acc_ld", "rollout_acc_ld", "final_acc_ld"};
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    CAPTURE(i);
    CHECK(pairs[i].simulated == simulated[i]);
    CHECK(pairs[i].theory == theory[i]);
  }
}

TEST_CASE("the state-tracking model is the default model.kind and its theory is the solver's, column by column") {
  models::all_models();
  core::Config config;
  const models::Model& model = models::model_for(config);
  CHECK(model.name() == "state_tracking");
  CHECK(model.size_key() == "model.d");
  CHECK(model.steps_per_unit_time(config) == 256);
  const std::vector<double> times = {0, 25, 50, 75, 100};
  const auto trajectory = model.theory(config, times);
  const auto direct = meanfield::run_theory(models::state_tracking::resolve_model_parameters(config), times,
                                            models::state_tracking::resolve_tolerances(config), {256.0});
  REQUIRE(trajectory.rows.size() == times.size());
  const auto M = trajectory.column("M"), acc = trajectory.column("rollout_acc_ld");
  for (std::size_t i = 0; i < times.size(); ++i) {
    CHECK(M[i] == direct.rows[i].state.attention_retrieval);
    CHECK(acc[i] == direct.rows[i].rollout_acc_ld[0]);
  }
  CHECK(trajectory.milestone("lock_on_time") == direct.milestones.lock_on_time);
  CHECK(std::isfinite(trajectory.milestone("lock_on_time")));
}

TEST_CASE("an unknown model.kind is refused with the registered names") {
  models::all_models();
  core::Config config;
  config.apply_set("model.kind=transformer_xl");
  try {
    models::model_for(config);
    FAIL("an unknown model was accepted");
  } catch (const std::invalid_argument& e) {
    const std::string message = e.what();
    CHECK(message.find("model.kind = \"transformer_xl\"") != std::string::npos);
    CHECK(message.find("\"state_tracking\"") != std::string::npos);
  }
}
