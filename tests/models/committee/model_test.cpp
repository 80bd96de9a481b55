// The committee machine behind the contract: its config section, its theory from explicit and from
// measured initial states, and the contract's harness (theory against simulation at small N).
#include <doctest/doctest.h>

#include <cmath>

#include <cotdyn/meanfield/committee/integrate.hpp>
#include <cotdyn/models/committee/model.hpp>
#include <cotdyn/models/registry.hpp>
#include <cotdyn/tests/models/model_harness.hpp>

using namespace cotdyn;

namespace {
core::Config committee_config() {
  models::all_models();
  core::Config config;
  config.apply_set("model.kind=committee");
  config.apply_set("committee.N=400");
  config.apply_set("train.t_max=10");
  config.apply_set("train.seeds=4");
  config.apply_set("observe.times=linear:0:t_max:11");
  return config;
}
}  // namespace

TEST_CASE("the committee machine is registered with its [committee] section and key-named validation") {
  const auto config = committee_config();
  const auto& model = models::model_for(config);
  CHECK(model.name() == "committee");
  CHECK(model.steps_per_unit_time(config) == 400);
  CHECK(model.size_column() == "N");
  CHECK(config.get_string("committee.activation") == "erf");
  for (const char* bad : {"committee.activation=\"tanh\"", "committee.K=0", "committee.initial=\"guess\""}) {
    CAPTURE(bad);
    auto c = config;
    c.apply_set(bad);
    const std::string key = std::string(bad).substr(0, std::string(bad).find('='));
    CHECK_THROWS_WITH_AS(model.validate(c), doctest::Contains(key.c_str()), std::invalid_argument);
  }
  // 2 eps_g pairs, 3 Q_i_k (i <= k) and 4 R_i_n for K = M = 2.
  CHECK(model.compared(config).size() == 9);
}

TEST_CASE("the committee theory from an explicit start is the ODE's, milestones included") {
  auto config = committee_config();
  config.apply_set("committee.initial=\"explicit\"");
  config.apply_set("committee.Q0=[[0.01, 0.0], [0.0, 0.012]]");
  config.apply_set("committee.R0=[[0.001, 0.0], [0.0, 0.002]]");
  const auto& model = models::model_for(config);
  const std::vector<double> times = {0, 5, 10};
  const auto trajectory = model.theory(config, times);
  meanfield::committee::State start;
  start.Q = Eigen::MatrixXd{{0.01, 0.0}, {0.0, 0.012}};
  start.R = Eigen::MatrixXd{{0.001, 0.0}, {0.0, 0.002}};
  start.T = Eigen::MatrixXd::Identity(2, 2);
  start.v = Eigen::VectorXd::Ones(2);
  const auto direct = meanfield::committee::integrate(meanfield::committee::Parameters{}, start, times);
  const auto eps = trajectory.column("eg");
  for (std::size_t i = 0; i < times.size(); ++i) CHECK(eps[i] == direct.column("eg")[i]);
  CHECK(trajectory.milestone("final_eg") == doctest::Approx(eps.back()).epsilon(1e-6));
}

TEST_CASE("a learning rate above the stable range is refused by validate, naming committee.eta, the time and the quantity") {
  auto config = committee_config();
  config.apply_set("committee.initial=\"explicit\"");
  config.apply_set("committee.Q0=[[0.01, 0.0], [0.0, 0.012]]");
  config.apply_set("committee.R0=[[0.001, 0.0], [0.0, 0.002]]");
  config.apply_set("train.t_max=100");
  const auto& model = models::model_for(config);
  CHECK_NOTHROW(model.validate(config));
  config.apply_set("committee.eta=10");
  for (const char* part : {"committee.eta = 10", "diverges at t = ", "Q_", "above the stable range"})
    CHECK_THROWS_WITH_AS(model.validate(config), doctest::Contains(part), std::invalid_argument);
  CHECK_THROWS_WITH_AS(model.theory(config, {0, 50, 100}), doctest::Contains("committee.eta = 10"), std::invalid_argument);
}

#ifdef COTDYN_TEST_COMMITTEE_SIMULATION
TEST_CASE("the committee machine passes the contract's harness, its seed means within 0.05 of the ODEs") {
  // N = 400, 4 seeds, t <= 10 (before the plateau ends): per-seed fluctuations of Q and R are
  // O(1/sqrt(N)) = 0.05, the seed mean's about half of it; eps_g is ~0.1 and fluctuates less.
  testing::check_simulation(models::model_named("committee"), committee_config(), {0.05});
}
#endif

TEST_CASE("the committee machine's runs default to t_max = 500 on a log grid and compare at N = 250 ... 2000") {
  const auto config = models::resolve_config([](core::Config& c) { c.apply_set("model.kind=committee"); });
  CHECK(config.get_integer_list("compare.d") == std::vector<std::int64_t>{250, 500, 1000, 2000});
  CHECK(config.get_number("train.t_max") == 500);
  CHECK(config.get_string("observe.times") == "log:0.1:t_max:60");
  // The user's settings come last and win; another model keeps the embedded defaults.
  const auto user = models::resolve_config([](core::Config& c) {
    c.apply_set("model.kind=committee");
    c.apply_set("compare.d=[100]");
  });
  CHECK(user.get_integer_list("compare.d") == std::vector<std::int64_t>{100});
  const auto other = models::resolve_config([](core::Config&) {});
  CHECK(other.get_integer_list("compare.d") == core::Config().get_integer_list("compare.d"));
}
