// The instability statistics on traces written by hand.
#include <doctest/doctest.h>

#include <cmath>

#include <cotdyn/simulation/entropy/spike_statistics.hpp>

using namespace cotdyn::simulation::entropy;

TEST_CASE("a spike is a loss above twice the median of the 50 steps before it") {
  std::vector<double> loss(200, 1.0);
  loss[30] = 5.0;   // too early: fewer than 50 steps before it
  loss[100] = 2.5;  // spike
  loss[150] = 2.0;  // exactly twice: not a spike
  CHECK(loss_spikes(loss) == std::vector<std::int64_t>{100});
  // The median of an even count is the mean of the middle two: half the window at 1, half at 3 -> 2.
  std::vector<double> mixed(51, 1.0);
  for (int s = 25; s < 50; ++s) mixed[s] = 3.0;
  mixed[50] = 4.01;
  CHECK(loss_spikes(mixed) == std::vector<std::int64_t>{50});
  mixed[50] = 3.99;
  CHECK(loss_spikes(mixed).empty());
}

TEST_CASE("a dead-fraction jump is an increase of more than 2 points between probes") {
  const std::vector<std::int64_t> steps = {0, 5, 10, 15, 20};
  CHECK(dead_jumps(steps, {0.10, 0.11, 0.14, 0.10, 0.125}) == std::vector<std::int64_t>{10, 20});
  CHECK(dead_jumps(steps, {0.3, 0.2, 0.1, 0.0, 0.0}).empty());  // units reviving are no jump
}

TEST_CASE("the hypergeometric tail and the shuffled expectation") {
  // 10 items, 3 marked, 2 draws: P(X >= 1) = 1 - C(7,2)/C(10,2) = 1 - 21/45.
  CHECK(hypergeometric_upper_tail(10, 3, 2, 1) == doctest::Approx(1 - 21.0 / 45));
  CHECK(hypergeometric_upper_tail(10, 3, 2, 2) == doctest::Approx(3.0 / 45));
  CHECK(hypergeometric_upper_tail(10, 3, 2, 0) == 1.0);
  CHECK(hypergeometric_upper_tail(10, 3, 2, 3) == 0.0);

  // 150 steps: spikes at 80 and 140, one jump at probe step 90 -> the spike at 80 co-occurs.
  std::vector<double> loss(150, 1.0);
  loss[80] = 3.0;
  loss[140] = 3.0;
  std::vector<std::int64_t> probes;
  std::vector<double> dead;
  for (std::int64_t s = 0; s < 150; s += 5) {
    probes.push_back(s);
    dead.push_back(s >= 90 ? 0.2 : 0.1);
  }
  const auto s = spike_statistics(loss, probes, dead);
  CHECK(s.spikes == 2);
  CHECK(s.jumps == 1);
  CHECK(s.cooccurring == 1);
  CHECK(s.eligible == 100);  // steps 50 .. 149
  CHECK(s.covered == 41);    // steps 70 .. 110
  CHECK(s.shuffled == doctest::Approx(2 * 41.0 / 100));
  CHECK(s.p_shuffled == doctest::Approx(hypergeometric_upper_tail(100, 41, 2, 1)));
}
