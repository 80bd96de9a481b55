#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include <cotdyn/simulation/state_tracking/sequence_sampler.hpp>
#include <cotdyn/simulation/state_tracking/settings.hpp>
#include <cotdyn/tests/simulation/state_tracking/simulation_test_helpers.hpp>

using namespace cotdyn::simulation;

TEST_CASE("sampled sequences follow the transition table s_t = pi_{a_t}(s_{t-1})") {
  const auto task = default_permutation_task();
  SequenceSampler sampler(task, 9, 3);
  const SequenceBatch batch = sampler.sample(500);
  REQUIRE(batch.actions.size() == 500u * 9);
  REQUIRE(batch.states.size() == 500u * 10);
  std::vector<int> action_counts(4, 0), start_counts(24, 0);
  for (int b = 0; b < 500; ++b) {
    start_counts[batch.states[b * 10]]++;
    for (int t = 1; t <= 9; ++t) {
      const auto a = batch.actions[b * 9 + t - 1];
      action_counts[a]++;
      CHECK(batch.states[b * 10 + t] == task.transition[a][batch.states[b * 10 + t - 1]]);
    }
  }
  for (int c : action_counts) CHECK(c > 4500 / 4 - 150);  // all actions are drawn, roughly uniformly
  for (int c : start_counts) CHECK(c > 0);
}

TEST_CASE("a sampler restored from its state continues the identical stream") {
  const auto task = default_permutation_task();
  SequenceSampler sampler(task, 9, 42);
  sampler.sample(7);
  const std::string saved = sampler.state();
  const SequenceBatch expected = sampler.sample(20);
  SequenceSampler restored(task, 9, 1);
  restored.restore(saved);
  const SequenceBatch again = restored.sample(20);
  CHECK(again.actions == expected.actions);
  CHECK(again.states == expected.states);
  SequenceSampler other_seed(task, 9, 43);
  CHECK(other_seed.sample(20).actions != SequenceSampler(task, 9, 42).sample(20).actions);
}

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
  if (!cuda_available()) {
    bad = s;
    bad.device = DeviceKind::cuda;
    CHECK(message_of(bad).find("model.device") != std::string::npos);
  }
}
