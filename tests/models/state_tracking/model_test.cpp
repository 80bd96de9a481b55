// The state-tracking model behind the contract: its name, its pairs, and its theory equal to the
// mean-field solver's output for the same config.
#include <doctest/doctest.h>

#include <algorithm>
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

TEST_CASE("with the Gram flow the order parameters face its columns, each space its own, and the accuracies stay LD") {
  const auto pairs = models::state_tracking::compared_quantities(false, true);
  REQUIRE(pairs.size() == 9);
  const std::vector<std::string> theory = {"M_gram", "alpha_gram", "R_gram", "Q_gram", "R_c_gram", "Q_c_gram",
                                           "step_acc_ld", "rollout_acc_ld", "final_acc_ld"};
  for (std::size_t i = 0; i < pairs.size(); ++i) CHECK(pairs[i].theory == theory[i]);
  // Every theory column of a pair exists in the Gram run's columns.
  const auto& columns = meanfield::theory_columns(true, false, true);
  for (const auto& pair : pairs) CHECK(std::find(columns.begin(), columns.end(), pair.theory) != columns.end());
}

TEST_CASE("theory.finite_size: none gives nothing, gram the task's transitions and the draws, bad values name the key") {
  core::Config config;
  CHECK_FALSE(models::state_tracking::resolve_finite_size(config).has_value());
  config.apply_set("theory.finite_size=\"gram\"");
  config.apply_set("theory.gram_draws=3");
  config.apply_set("train.seed=7");
  const auto gram = models::state_tracking::resolve_finite_size(config);
  REQUIRE(gram.has_value());
  CHECK(gram->draws == 3);
  CHECK(gram->seed == 7);
  REQUIRE(gram->transition.size() == 4);
  CHECK(gram->transition[0].size() == 24);
  core::Config no_group = config;
  no_group.apply_set("task.group=\"\"");
  no_group.apply_set("task.n=24");
  no_group.apply_set("task.K=4");
  CHECK_THROWS_WITH_AS(models::state_tracking::resolve_finite_size(no_group), doctest::Contains("set task.group"),
                       std::invalid_argument);
  core::Config bad = config;
  bad.apply_set("theory.gram_draws=0");
  CHECK_THROWS_WITH_AS(models::state_tracking::resolve_finite_size(bad), doctest::Contains("theory.gram_draws = 0"),
                       std::invalid_argument);
}

TEST_CASE("cotdyn theory with the Gram flow: the ODE's columns unchanged, the flow's after them") {
  core::Config config;
  config.apply_set("model.d=32");
  const auto times = std::vector<double>{0, 10, 20};
  const models::state_tracking::StateTrackingModel model;
  const auto plain = model.theory(config, times);
  config.apply_set("theory.finite_size=\"gram\"");
  config.apply_set("theory.gram_draws=2");
  const auto gram = model.theory(config, times);
  REQUIRE(gram.columns.size() == plain.columns.size() + 11);
  for (std::size_t c = 0; c < plain.columns.size(); ++c) CHECK(gram.columns[c] == plain.columns[c]);
  for (std::size_t i = 0; i < times.size(); ++i)
    for (std::size_t c = 0; c < plain.columns.size(); ++c) CHECK(gram.rows[i][c] == plain.rows[i][c]);
  // At t = 10 the flow has moved R_c off zero; its draws differ, so the s.d. is positive.
  const auto at = [&](const std::string& name) {
    return gram.rows[1][static_cast<std::size_t>(std::find(gram.columns.begin(), gram.columns.end(), name) - gram.columns.begin())];
  };
  CHECK(at("R_c_gram") > 0.1);
  CHECK(at("Q_gram_sd") > 0.0);
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
