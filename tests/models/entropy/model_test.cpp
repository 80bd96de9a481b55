// The entropy study behind the contract: registered, its derived keys, its theory (the ODE with label
// noise), and the contract's harness on a small run.
#include <doctest/doctest.h>

#include <cmath>

#include <cotdyn/models/registry.hpp>
#include <cotdyn/tests/models/model_harness.hpp>

using namespace cotdyn;

namespace {
core::Config entropy_config(const std::vector<std::string>& sets = {}) {
  return models::resolve_config([&](core::Config& c) {
    c.apply_set("model.kind=entropy");
    for (const auto& s : sets) c.apply_set(s);
  });
}

// Seconds, not minutes: d = 16, a few steps per variant.
const std::vector<std::string> kSmall = {"entropy.d=16",           "entropy.variants=[\"solvable\", \"mlp\", \"spikes\"]",
                                         "entropy.mlp_widths=[2]", "entropy.adam_t_max=4",
                                         "entropy.sgd_t_max=6",  "entropy.observations=3",
                                         "entropy.window=2",       "entropy.spike_lrs=[0.01]",
                                         "entropy.spike_width=1"};
}  // namespace

TEST_CASE("the entropy model is registered, derives its schedule and label noise, and refuses them set directly") {
  const auto config = entropy_config();
  const models::Model& model = models::model_for(config);
  CHECK(model.name() == "entropy");
  CHECK(model.size_key() == "entropy.d");
  CHECK(model.steps_per_unit_time(config) == 32);
  CHECK(config.get_number("task.label_noise") == 0.3);
  CHECK(config.get_number("train.t_max") == 300);
  CHECK(config.get_integer("train.seeds") == 2);
  CHECK(config.get_number_list("observe.times").size() == 68);
  CHECK_THROWS_WITH_AS(entropy_config({"task.label_noise=0.1"}), doctest::Contains("sets it from entropy.label_noise"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(entropy_config({"train.t_max=50"}), doctest::Contains("sets it from entropy.adam_t_max"),
                       std::invalid_argument);
  // Without the solvable variant there is no ODE to hold the simulation to, and the grid is the Adam one.
  const auto adam = entropy_config({"entropy.variants=[\"bilinear_adam\"]"});
  CHECK(model.compared(adam).empty());
  CHECK(adam.get_number("train.t_max") == 100);
  CHECK_THROWS_WITH_AS(model.validate(entropy_config({"entropy.variants=[\"moe\"]"})),
                       doctest::Contains("entropy.variants: \"moe\" is not a variant"), std::invalid_argument);
}

TEST_CASE("entropy theory: the ODE with label noise, H_mf and p_1 beside H_target") {
  const auto config = entropy_config();
  const models::Model& model = models::model_for(config);
  testing::check_theory(model, config);
  // docs/theory.md §16.4 at d-independent columns: H_mf(100) = 2.530622, p_1(300) = 0.710680.
  const auto t = model.theory(config, {100.0, 300.0});
  CHECK(t.column("entropy")[0] == doctest::Approx(2.530622).epsilon(1e-6));
  CHECK(t.column("p_correct")[1] == doctest::Approx(0.710680).epsilon(1e-6));
  CHECK(t.column("target_entropy")[0] == doctest::Approx(1.5014).epsilon(1e-4));
}

#ifdef COTDYN_TEST_ENTROPY_SIMULATION
TEST_CASE("entropy meets the contract's harness on a small run") {
  // The solvable variant's entropy and p_correct against the ODE at d = 16 over t <= 6, still on the
  // plateau: measured largest gaps 0.0024 nats and 0.0005 (two seeds); held to 0.01.
  const auto config = entropy_config(kSmall);
  testing::check_simulation(models::model_for(config), config, {0.01});
}
#endif
