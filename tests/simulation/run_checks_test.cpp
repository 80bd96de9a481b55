#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
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
  // The reference: the mean over the first kReferenceSteps steps, 1 for both seeds.
  std::int64_t step = 0;
  for (; step < RunChecks::kReferenceSteps; ++step) checks.step_losses(step + 1, {1.0, 1.0});
  checks.step_losses(++step, {50.0, 2.0});
  CHECK(checks.observed(step, 0.5, columns, {{0, kNaN, 1}, {0, kNaN, 1}}, {}).empty());  // means 5.5 and 1.09
  checks.step_losses(++step, {300.0, 2.0});
  const std::vector<RunWarning> warnings = checks.observed(step, 0.75, columns, {{0, kNaN, 1}, {0, kNaN, 1}}, {});
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].seed == 10);
  CHECK(warnings[0].step == step);
  CHECK(warnings[0].quantity == "training loss");
  CHECK(warnings[0].message().find("grew by orders of magnitude") != std::string::npos);
  CHECK(warnings[0].message().find("over the first 10 steps") != std::string::npos);
  checks.step_losses(++step, {900.0, 2.0});
  CHECK(checks.observed(step, 1.0, columns, {{0, kNaN, 1}, {0, kNaN, 1}}, {}).empty());  // once per seed
}

TEST_CASE("a first step's loss small by chance is no reference: online SGD's losses do not warn") {
  // One input per step: the first loss 1/2 delta^2 was 0.0025 against a mean of 0.46 in a real run.
  // Against the first step alone, the next interval (mean 0.46, 184 times it) would warn.
  RunChecks checks(1, 0);
  checks.step_losses(1, {0.0025});
  for (std::int64_t step = 2; step <= 25; ++step) checks.step_losses(step, {step % 2 ? 0.2 : 0.72});
  CHECK(checks.observed(25, 0.1, columns, {{0, kNaN, 1}}, {}).empty());
  // A loss still grown a hundredfold over that mean warns.
  for (std::int64_t step = 26; step <= 50; ++step) checks.step_losses(step, {50.0});
  CHECK(checks.observed(50, 0.2, columns, {{0, kNaN, 1}}, {}).size() == 1);
}

TEST_CASE("before the reference is complete the loss is not judged") {
  RunChecks checks(1, 0);
  checks.step_losses(1, {1.0});
  checks.step_losses(2, {1000.0});
  CHECK(checks.observed(2, 0.1, columns, {{0, kNaN, 1}}, {}).empty());
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
  for (std::int64_t step = 1; step <= 5; ++step) checks.step_losses(step, {1.0});
  checks.observed(5, 1, columns, {{0, kNaN, 1}}, Names{{"output softmax"}});
  // Checkpointed with the reference half complete.
  RunChecks halfway = RunChecks::from_json(checks.to_json());
  CHECK(halfway.to_json() == checks.to_json());
  for (auto* c : {&checks, &halfway})
    for (std::int64_t step = 6; step <= 10; ++step) c->step_losses(step, {1.0});
  checks.step_losses(11, {5000.0});  // the interval's mean 834, the reference 1
  halfway.step_losses(11, {5000.0});
  CHECK(halfway.to_json() == checks.to_json());
  RunChecks resumed = RunChecks::from_json(checks.to_json());
  CHECK(resumed.to_json() == checks.to_json());
  const auto a = checks.observed(11, 2, columns, {{0, kNaN, 1}}, Names{{"output softmax"}});
  const auto b = resumed.observed(11, 2, columns, {{0, kNaN, 1}}, Names{{"output softmax"}});
  REQUIRE(a.size() == 1);
  REQUIRE(b.size() == 1);
  CHECK(a[0].message() == b[0].message());
  CHECK(checks.finished(11, 2).size() == resumed.finished(11, 2).size());
}

TEST_CASE("a checkpoint of the earlier format, with the first step's loss as the reference, resumes") {
  RunChecks checks(1, 0);
  checks.step_losses(1, {1.0});
  auto json = checks.to_json();
  auto& seed = json["seeds"][0];
  seed.erase("reference_sum");
  seed.erase("reference_steps");
  seed["first_loss"] = 2.0;
  RunChecks resumed = RunChecks::from_json(json);
  resumed.step_losses(2, {150.0});
  CHECK(resumed.observed(2, 1, columns, {{0, kNaN, 1}}, {}).empty());  // 150 < 100 x 2
  resumed.step_losses(3, {250.0});
  CHECK(resumed.observed(3, 2, columns, {{0, kNaN, 1}}, {}).size() == 1);  // 250 > 100 x 2
}
