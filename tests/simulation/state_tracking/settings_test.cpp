#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include <cotdyn/simulation/state_tracking/settings.hpp>
#include <cotdyn/tests/simulation/state_tracking/simulation_test_helpers.hpp>

using namespace cotdyn::simulation;

TEST_CASE("validate names the offending config key") {
  auto s = testing::small_settings();
  CHECK_NOTHROW(validate(s));
  auto message_of = [](const SimulationSettings& bad) {
    try {
      validate(bad);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no exception");
  };
  auto bad = s;
  bad.d = 40;  // not a multiple of 2(L-1) = 16
  CHECK(message_of(bad).find("model.d") != std::string::npos);
  bad = s;
  bad.d = 16;
  bad.logic = LogicStorage::tensor;  // needs d >= n = 24
  CHECK(message_of(bad).find("model.d") != std::string::npos);
  bad = s;
  bad.batch = 0;
  CHECK(message_of(bad).find("train.batch") != std::string::npos);
  bad = s;
  bad.observation_times = {1.0, 9.0};
  CHECK(message_of(bad).find("observe.times") != std::string::npos);
  if (!cuda_available("model.device")) {
    bad = s;
    bad.device = DeviceKind::cuda;
    CHECK(message_of(bad).find("model.device") != std::string::npos);
  }
}

TEST_CASE("one intra-op thread rule: model.threads, else all cores for the tensor storage and one otherwise") {
  auto s = testing::small_settings();
  CHECK(intra_op_threads(s, 8) == 1);  // coefficient storage
  s.logic = LogicStorage::tensor;
  CHECK(intra_op_threads(s, 8) == 8);
  CHECK(intra_op_threads(s, 0) == 1);
  s.ablation.single_lr = true;  // the general model
  CHECK(intra_op_threads(s, 8) == 1);
  s.threads = 3;
  CHECK(intra_op_threads(s, 8) == 3);
}
