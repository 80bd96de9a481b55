#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <cotdyn/simulation/run_checks.hpp>

using cotdyn::simulation::RunChecks;
using cotdyn::simulation::RunWarning;

namespace {
const std::vector<std::string> columns = {"M", "R_c", "loss"};
const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();
using Names = std::vector<std::vector<std::string>>;
}  // namespace

TEST_CASE("a training loss grown a hundredfold over an observation interval warns once, with the seed and step") {
  RunChecks checks(2, 10);
  checks.step_losses(1, {1.0, 1.0});
  checks.step_losses(2, {50.0, 2.0});
  CHECK(checks.observed(2, 0.5, columns, {{0, kNaN, 1}, {0, kNaN, 1}}, {}).empty());  // mean 25.5 and 1.5
  checks.step_losses(3, {300.0, 2.0});
  const std::vector<RunWarning> warnings = checks.observed(3, 0.75, columns, {{0, kNaN, 1}, {0, kNaN, 1}}, {});
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].seed == 10);
  CHECK(warnings[0].step == 3);
  CHECK(warnings[0].quantity == "training loss");
  CHECK(warnings[0].message().find("grew by orders of magnitude") != std::string::npos);
  checks.step_losses(4, {900.0, 2.0});
  CHECK(checks.observed(4, 1.0, columns, {{0, kNaN, 1}, {0, kNaN, 1}}, {}).empty());  // once per seed
}

TEST_CASE("an infinite measurement, or NaN after finite values, warns, NaN from the start does not") {
  RunChecks checks(1, 0);
  CHECK(checks.observed(0, 0, columns, {{0, kNaN, 1}}, {}).empty());  // R_c absent by design
  CHECK(checks.observed(1, 1, columns, {{1, kNaN, 1}}, {}).empty());
  auto warnings = checks.observed(2, 2, columns, {{kNaN, kNaN, kInf}}, {});
  REQUIRE(warnings.size() == 2);
  CHECK(warnings[0].quantity == "M");
  CHECK(warnings[1].quantity == "loss");
  CHECK(checks.observed(3, 3, columns, {{kNaN, kNaN, kInf}}, {}).empty());  // once per seed and quantity
  CHECK(checks.observed(4, 4, columns, {{}}, {}).empty());              // a stopped seed is not checked
}

TEST_CASE("a softmax saturated at every observation after t = 0 warns at the end, one that recovers does not") {
  RunChecks checks(2, 0);
  const std::vector<std::vector<double>> rows = {{0, 0, 1}, {0, 0, 1}};
  checks.observed(0, 0, columns, rows, Names{{}, {}});
  checks.observed(10, 1, columns, rows, Names{{"output softmax"}, {"output softmax", "attention softmax"}});
  checks.observed(20, 2, columns, rows, Names{{"output softmax"}, {"attention softmax"}});
  checks.observed(30, 3, columns, rows, Names{{"output softmax"}, {"attention softmax"}});
  const auto warnings = checks.finished(30, 3);
  REQUIRE(warnings.size() == 2);
  CHECK(warnings[0].seed == 0);
  CHECK(warnings[0].quantity == "output softmax");
  CHECK(warnings[1].seed == 1);
  CHECK(warnings[1].quantity == "attention softmax");
  RunChecks once(1, 0);
  once.observed(0, 0, columns, {{0, 0, 1}}, Names{{}});
  once.observed(1, 1, columns, {{0, 0, 1}}, Names{{"output softmax"}});
  CHECK(once.finished(1, 1).empty());  // a single observation after t = 0 is not a whole run
}

TEST_CASE("the checks' state survives a checkpoint, so a resumed run warns as an uninterrupted one") {
  RunChecks checks(1, 3);
  checks.step_losses(1, {1.0});
  checks.observed(1, 1, columns, {{0, kNaN, 1}}, Names{{"output softmax"}});
  checks.step_losses(2, {500.0});
  RunChecks resumed = RunChecks::from_json(checks.to_json());
  CHECK(resumed.to_json() == checks.to_json());
  const auto a = checks.observed(2, 2, columns, {{0, kNaN, 1}}, Names{{"output softmax"}});
  const auto b = resumed.observed(2, 2, columns, {{0, kNaN, 1}}, Names{{"output softmax"}});
  REQUIRE(a.size() == 1);
  REQUIRE(b.size() == 1);
  CHECK(a[0].message() == b[0].message());
  CHECK(checks.finished(2, 2).size() == resumed.finished(2, 2).size());
}
