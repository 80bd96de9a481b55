// Observation grids: linear, log (t = 0 prepended), explicit lists.
#include <doctest/doctest.h>

#include <cotdyn/core/config.hpp>
#include <cotdyn/core/observation_grid.hpp>
#include <cotdyn/models/state_tracking/resolve.hpp>

using cotdyn::core::parse_observation_grid;

TEST_CASE("linear:a:b:n has n points including both ends") {
  const auto t = parse_observation_grid("linear:0:100:41", 100);
  REQUIRE(t.size() == 41);
  CHECK(t.front() == 0.0);
  CHECK(t[1] == doctest::Approx(2.5));
  CHECK(t.back() == 100.0);
  CHECK(parse_observation_grid("linear:0:t_max:5", 8).back() == 8.0);
}

TEST_CASE("log:a:b:n is log-spaced and starts with t = 0") {
  const auto t = parse_observation_grid("log:0.1:100:4", 100);
  REQUIRE(t.size() == 5);
  CHECK(t[0] == 0.0);
  CHECK(t[1] == doctest::Approx(0.1));
  CHECK(t[2] == doctest::Approx(1.0));
  CHECK(t[3] == doctest::Approx(10.0));
  CHECK(t[4] == 100.0);
  CHECK_THROWS_WITH_AS(parse_observation_grid("log:0:100:4", 100), doctest::Contains("a > 0"), std::invalid_argument);
}

TEST_CASE("malformed grids and times outside [0, t_max] are refused") {
  CHECK_THROWS_WITH_AS(parse_observation_grid("cubic:0:1:3", 100), doctest::Contains("observe.times"),
                       std::invalid_argument);
  CHECK_THROWS_AS(parse_observation_grid("linear:0:1:x", 100), std::invalid_argument);
  CHECK_THROWS_AS(parse_observation_grid("linear:0:1:1", 100), std::invalid_argument);
  CHECK_THROWS_WITH_AS(parse_observation_grid("linear:0:200:3", 100), doctest::Contains("[0, train.t_max = 100]"),
                       std::invalid_argument);
}

TEST_CASE("explicit lists must be sorted and inside [0, t_max]") {
  cotdyn::core::Config config;
  config.apply_set("observe.times=[0, 10, 50]");
  CHECK(cotdyn::core::resolve_observation_times(config) == std::vector<double>{0, 10, 50});
  config.apply_set("observe.times=[0, 50, 10]");
  CHECK_THROWS_WITH_AS(cotdyn::core::resolve_observation_times(config), doctest::Contains("strictly increasing"),
                       std::invalid_argument);
  config.apply_set("observe.times=[-1, 10]");
  CHECK_THROWS_AS(cotdyn::core::resolve_observation_times(config), std::invalid_argument);
}
