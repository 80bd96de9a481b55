#include <cotdyn/simulation/seed_runner.hpp>

#include <atomic>
#include <vector>

#include <doctest/doctest.h>

using cotdyn::simulation::for_each_seed;
using cotdyn::simulation::SeedRunner;

TEST_CASE("a SeedRunner runs every seed exactly once at any thread count") {
  for (const int threads : {1, 2, 0}) {
    SeedRunner runner(threads);
    for (int call = 0; call < 3; ++call) {
      std::vector<int> runs(7, 0);
      runner(7, [&](int e) { ++runs[e]; });
      CHECK(runs == std::vector<int>(7, 1));
    }
  }
}

TEST_CASE("for_each_seed runs one seed on the calling thread and a moved SeedRunner still runs") {
  std::vector<int> runs(1, 0);
  for_each_seed(1, 2, [&](int e) { ++runs[e]; });
  CHECK(runs == std::vector<int>{1});
  SeedRunner first(2);
  SeedRunner moved = std::move(first);
  std::atomic<int> total{0};
  moved(5, [&](int e) { total += e + 1; });
  CHECK(total.load() == 15);
}
