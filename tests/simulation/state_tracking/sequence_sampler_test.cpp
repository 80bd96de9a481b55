#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include <cotdyn/simulation/state_tracking/sequence_sampler.hpp>
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

TEST_CASE("without label noise the training targets are the next states and nothing more is drawn") {
  const auto task = default_permutation_task();
  SequenceSampler clean(task, 9, 5), explicit_zero(task, 9, 5, 0.0);
  const SequenceBatch batch = clean.sample(50), again = explicit_zero.sample(50);
  REQUIRE(batch.targets.size() == 50u * 9);
  for (int b = 0; b < 50; ++b)
    for (int t = 1; t <= 9; ++t) CHECK(batch.targets[b * 9 + t - 1] == batch.states[b * 10 + t]);
  CHECK(again.actions == batch.actions);
  CHECK(again.states == batch.states);
  CHECK(clean.state() == explicit_zero.state());
}

TEST_CASE("label noise replaces a target by a uniform state: it differs from s_t with frequency eps (n-1)/n") {
  const auto task = default_permutation_task();
  const double eps = 0.3;
  const int count = 20000, L = 9, n = 24;
  SequenceSampler sampler(task, L, 17, eps);
  const SequenceBatch batch = sampler.sample(count);
  REQUIRE(batch.targets.size() == static_cast<std::size_t>(count) * L);
  std::vector<int> replaced_by(n, 0);
  int changed = 0, broken_transitions = 0;
  for (int b = 0; b < count; ++b) {
    for (int t = 1; t <= L; ++t) {
      // The sequence itself stays clean: the inputs still follow the transition table.
      broken_transitions += batch.states[b * (L + 1) + t] !=
                            task.transition[batch.actions[b * L + t - 1]][batch.states[b * (L + 1) + t - 1]];
      const auto target = batch.targets[b * L + t - 1];
      if (target != batch.states[b * (L + 1) + t]) {
        ++changed;
        ++replaced_by[target];
      }
    }
  }
  CHECK(broken_transitions == 0);
  const double queries = static_cast<double>(count) * L, expected = eps * (n - 1) / n;  // 0.2875
  const double standard_error = std::sqrt(expected * (1 - expected) / queries);       // 0.0011
  CHECK(std::abs(changed / queries - expected) < 4 * standard_error);
  // The replacement is uniform: every state receives about changed / n of the changed targets.
  for (int s = 0; s < n; ++s) CHECK(std::abs(replaced_by[s] - changed / double(n)) < 5 * std::sqrt(changed / double(n)));
  // The noisy stream differs from the clean one after the first sequence (it draws more).
  SequenceSampler clean(task, L, 17);
  clean.sample(1);
  SequenceSampler noisy(task, L, 17, eps);
  noisy.sample(1);
  CHECK(clean.sample(5).actions != noisy.sample(5).actions);
}

TEST_CASE("a noisy sampler restored from its state continues the identical stream, targets included") {
  const auto task = default_permutation_task();
  SequenceSampler sampler(task, 9, 42, 0.5);
  sampler.sample(7);
  const std::string saved = sampler.state();
  const SequenceBatch expected = sampler.sample(20);
  SequenceSampler restored(task, 9, 1, 0.5);
  restored.restore(saved);
  const SequenceBatch again = restored.sample(20);
  CHECK(again.states == expected.states);
  CHECK(again.targets == expected.targets);
}
