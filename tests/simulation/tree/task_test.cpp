// The tree task generator of docs/models/tree.md §1.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>
#include <string>

#include <cotdyn/simulation/tree/task.hpp>

using namespace cotdyn::simulation::tree;

namespace {
std::string error_of(const TreeTask& task) {
  try {
    validate(task);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

int parent_symbol_of(const Sample& s, int child_symbol) {
  const auto it = std::find(s.labels.begin(), s.labels.end(), child_symbol);
  return s.labels[(static_cast<int>(it - s.labels.begin()) - 1) / 2];
}
}  // namespace

TEST_CASE("the canonical forward sample at D = 3 is the fixture of the model") {
  const Sample s = canonical_sample({Task::forward, 20, 3});
  std::vector<Token> expected;
  for (int p = 0; p < 14; ++p) expected.push_back({p + 1, p / 2, Flag::E});
  for (const Token t : {Token{none, 7, Flag::B}, Token{7, 3, Flag::B}, Token{3, 1, Flag::B},
                        Token{1, 0, Flag::F}, Token{0, 1, Flag::F}, Token{1, 3, Flag::F}})
    expected.push_back(t);
  CHECK(s.tokens == expected);
  CHECK(s.query_positions == std::vector<int>{14, 15, 16, 17, 18, 19});
  CHECK(s.targets == std::vector<int>{3, 1, 0, 1, 3, 7});
  CHECK(s.path == std::vector<int>{0, 1, 3, 7});
}

TEST_CASE("the canonical backward sample is the first 17 tokens of the forward one") {
  const Sample b = canonical_sample({Task::backward, 20, 3});
  const Sample f = canonical_sample({Task::forward, 20, 3});
  CHECK(b.tokens == std::vector<Token>(f.tokens.begin(), f.tokens.begin() + 17));
  CHECK(b.query_positions == std::vector<int>{14, 15, 16});
  CHECK(b.targets == std::vector<int>{3, 1, 0});
}

TEST_CASE("sizes at every depth from 1 to 6 and both tasks") {
  for (int D = 1; D <= 6; ++D) {
    const TreeTask f{Task::forward, (2 << D) - 1, D}, b{Task::backward, (2 << D) + 4, D};
    CHECK(f.nodes() == (1 << (D + 1)) - 1);
    CHECK(canonical_sample(f).tokens.size() == static_cast<std::size_t>(f.edges() + 2 * D));
    CHECK(canonical_sample(b).tokens.size() == static_cast<std::size_t>(b.edges() + D));
    CHECK(canonical_sample(f).path.back() == (1 << D) - 1);  // v_k = 2^k - 1
  }
  const Sample d1 = canonical_sample({Task::forward, 3, 1});
  CHECK(d1.tokens == std::vector<Token>{{1, 0, Flag::E}, {2, 0, Flag::E}, {none, 1, Flag::B}, {1, 0, Flag::F}});
  CHECK(d1.targets == std::vector<int>{0, 1});
}

TEST_CASE("random samples are well-formed trees with a correct chain of thought") {
  for (const Task task : {Task::backward, Task::forward}) {
    const TreeTask config{task, 40, 4};
    SampleGenerator generator(config, 7);
    for (int n = 0; n < 200; ++n) {
      const Sample s = generator.next();
      CHECK(std::set<int>(s.labels.begin(), s.labels.end()).size() == 31u);
      // Every context token is (child, parent) of the labelled tree, every edge exactly once.
      std::set<int> children;
      for (int p = 0; p < config.edges(); ++p) {
        CHECK(s.tokens[p].flag == Flag::E);
        CHECK(s.tokens[p].y == parent_symbol_of(s, s.tokens[p].x));
        children.insert(s.tokens[p].x);
      }
      CHECK(children.size() == static_cast<std::size_t>(config.edges()));
      CHECK(s.path.front() == s.labels[0]);
      CHECK(s.path.back() == s.labels[config.leaves() - 1 + s.goal]);
      for (int k = 1; k <= config.D; ++k) CHECK(parent_symbol_of(s, s.path[k]) == s.path[k - 1]);
      // Each query's Y is its current node; the B targets are parents, the F targets the next node down.
      for (int q = 0; q < config.queries(); ++q) {
        const Token& t = s.tokens[s.query_positions[q]];
        CHECK(t.flag == (q < config.D ? Flag::B : Flag::F));
        if (q < config.D) CHECK(s.targets[q] == parent_symbol_of(s, t.y));
        else CHECK(parent_symbol_of(s, s.targets[q]) == t.y);
        if (q > 0 && q != config.D) CHECK(t.x == s.tokens[s.query_positions[q] - 1].y);
      }
    }
  }
}

TEST_CASE("the generator is deterministic from its seed and draws each goal and edge order uniformly") {
  const TreeTask config{Task::forward, 20, 3};
  SampleGenerator a(config, 42), b(config, 42), c(config, 43);
  const Sample sa = a.next(), sb = b.next(), sc = c.next();
  CHECK(sa.tokens == sb.tokens);
  CHECK(sa.labels == sb.labels);
  CHECK_FALSE(sa.labels == sc.labels);

  SampleGenerator g(config, 1);
  std::map<int, int> goals, first_edge, root_symbol;
  const int n = 16000;
  for (int i = 0; i < n; ++i) {
    const Sample s = g.next();
    ++goals[s.goal];
    ++first_edge[s.edge_order[0]];
    ++root_symbol[s.labels[0]];
  }
  CHECK(goals.size() == 8u);
  CHECK(first_edge.size() == 14u);
  CHECK(root_symbol.size() == 20u);
  // Binomial counts: 5 standard deviations is a bound that a correct sampler essentially never fails.
  for (const auto& [goal, count] : goals) CHECK(std::abs(count - n / 8.0) < 5 * std::sqrt(n / 8.0));
  for (const auto& [e, count] : first_edge) CHECK(std::abs(count - n / 14.0) < 5 * std::sqrt(n / 14.0));
  for (const auto& [v, count] : root_symbol) CHECK(std::abs(count - n / 20.0) < 5 * std::sqrt(n / 20.0));
}

TEST_CASE("SplitMix64 gives the published first outputs for seed 0 and bounded draws in range") {
  SplitMix64 rng(0);
  CHECK(rng.next() == 0xe220a8397b1dcdafULL);
  CHECK(rng.next() == 0x6e789e6aa1b965f4ULL);
  CHECK(rng.next() == 0x06c45d188009454fULL);
  for (int i = 0; i < 1000; ++i) CHECK(rng.below(7) < 7u);
  CHECK(rng.below(1) == 0u);
}

TEST_CASE("fresh samples are distinct trees that avoid the trees seen in training") {
  const TreeTask config{Task::forward, 20, 3};
  SampleGenerator training(config, 5);
  std::set<std::vector<int>> seen;
  for (int i = 0; i < 100; ++i) seen.insert(training.next().labels);
  // Seed the evaluation stream like the training stream, so that every first draw is a seen tree.
  const auto eval = fresh_samples(config, 50, 5, [&](const std::vector<int>& l) { return seen.count(l) > 0; });
  REQUIRE(eval.size() == 50u);
  std::set<std::vector<int>> distinct;
  for (const auto& s : eval) {
    CHECK(seen.count(s.labels) == 0);
    distinct.insert(s.labels);
  }
  CHECK(distinct.size() == 50u);
  // D = 1, N = 3: only 3! = 6 labelled trees exist.
  CHECK(fresh_samples({Task::backward, 3, 1}, 6, 9).size() == 6u);
  CHECK_THROWS_WITH_AS(fresh_samples({Task::backward, 3, 1}, 7, 9), doctest::Contains("only 6 distinct"),
                       std::invalid_argument);
}

TEST_CASE("bad task parameters are refused, naming the field and the value") {
  CHECK(error_of({Task::forward, 14, 3}).find("N = 14") != std::string::npos);
  CHECK(error_of({Task::forward, 14, 3}).find("at least n_T = 2^(D+1) - 1 = 15") != std::string::npos);
  CHECK(error_of({Task::forward, 20, 0}).find("D = 0") != std::string::npos);
  CHECK(error_of({Task::forward, 20, 3}).empty());
  CHECK(error_of({Task::backward, 3, 1}).empty());
  CHECK_THROWS_WITH_AS(task_from_string("sideways"), doctest::Contains("task = \"sideways\""), std::invalid_argument);
  CHECK(task_from_string(to_string(Task::backward)) == Task::backward);
  CHECK_THROWS_WITH_AS(make_sample({Task::forward, 20, 3}, {0, 1, 2}, 0, {}), doctest::Contains("labels"),
                       std::invalid_argument);
}
