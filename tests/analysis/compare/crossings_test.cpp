// Milestone times read off sampled curves (docs/theory.md §9.2): first upward crossings, linear and
// log-linear interpolation, and per-seed lock-on times on synthetic curves with known crossings.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include <cotdyn/analysis/compare/comparison_data.hpp>
#include <cotdyn/analysis/compare/crossings.hpp>

using namespace cotdyn::compare;

TEST_CASE("first_crossing interpolates linearly between the two observations around the level") {
  const std::vector<double> t = {0, 1, 2, 3}, y = {0.0, 0.2, 0.6, 1.0};
  CHECK(first_crossing(t, y, 0.5) == doctest::Approx(1.75).epsilon(1e-14));
  CHECK(first_crossing(t, y, 0.2) == doctest::Approx(1.0).epsilon(1e-14));  // reaching the level counts
  CHECK(first_crossing(t, y, 1.0) == doctest::Approx(3.0).epsilon(1e-14));
}

TEST_CASE("first_crossing returns the first upward crossing, not a start above the level or a fall") {
  const std::vector<double> t = {0, 1, 2, 3, 4};
  const std::vector<double> y = {0.6, 0.4, 0.7, 0.3, 0.9};  // starts above, falls, rises at 1..2, again at 3..4
  CHECK(first_crossing(t, y, 0.5) == doctest::Approx(1.0 + 0.1 / 0.3).epsilon(1e-14));
}

TEST_CASE("first_crossing is NaN when the curve never reaches the level") {
  CHECK(std::isnan(first_crossing({0, 1, 2}, {0.1, 0.2, 0.3}, 0.5)));
  CHECK(std::isnan(first_crossing({0, 1, 2}, {0.9, 0.8, 0.7}, 0.5)));  // above throughout: no upward crossing
  CHECK(std::isnan(first_crossing({0}, {0.1}, 0.05)));
}

TEST_CASE("logarithmic interpolation is exact on an exponential, where linear interpolation is not") {
  const std::vector<double> t = {0, 1, 2, 3};
  std::vector<double> y;
  for (double x : t) y.push_back(std::exp(x));
  const double level = std::exp(1.5);
  CHECK(first_crossing(t, y, level, Interpolation::logarithmic) == doctest::Approx(1.5).epsilon(1e-13));
  const double linear = 1.0 + (level - std::exp(1.0)) / (std::exp(2.0) - std::exp(1.0));  // about 1.378
  CHECK(first_crossing(t, y, level, Interpolation::linear) == doctest::Approx(linear).epsilon(1e-13));
  CHECK(linear < 1.45);  // the two methods do differ here
}

TEST_CASE("logarithmic interpolation falls back to linear where the lower neighbour is not positive") {
  // M can be negative before lock-on: log M is undefined there.
  CHECK(first_crossing({0, 1}, {-1.0, 3.0}, 1.0, Interpolation::logarithmic) == doctest::Approx(0.5).epsilon(1e-14));
}

TEST_CASE("lock-on times: per-seed crossings of M_1/2 = ((L-1)/L) ln(L-1), their mean and ddof-0 s.d.") {
  const int L = 9;
  const double level = (L - 1.0) / L * std::log(L - 1.0);  // docs/theory.md §6
  std::vector<double> t;
  for (int i = 0; i <= 10; ++i) t.push_back(0.5 * i);
  // M = level * exp(g (t - t_c)) crosses the level at t_c; log-linear interpolation recovers t_c exactly.
  auto exponential = [&](double t_c, double g) {
    std::vector<double> m;
    for (double x : t) m.push_back(level * std::exp(g * (x - t_c)));
    return m;
  };
  SimulatedRun run;
  run.d = 64;
  const std::vector<std::vector<double>> M = {exponential(2.3, 1.7), exponential(3.1, 0.9),
                                              std::vector<double>(t.size(), 0.5 * level)};  // never locks on
  const std::vector<double> alpha_slope = {0.1, 0.2, 0.3};  // seed-mean alpha = 0.2 t crosses 1/2 at t = 2.5
  for (std::size_t s = 0; s < M.size(); ++s) {
    SeedSeries seed;
    seed.seed = 10 + s;
    seed.t = t;
    seed.values["M"] = M[s];
    for (double x : t) seed.values["alpha"].push_back(alpha_slope[s] * x);
    run.seeds.push_back(seed);
  }
  TheorySeries theory;
  theory.d = 64;
  theory.t = t;
  theory.values["M"] = exponential(2.6, 1.2);

  const LockOnTimes lock = lock_on_times(run, theory, L);
  REQUIRE(lock.per_seed.size() == 3);
  CHECK(lock.per_seed[0] == doctest::Approx(2.3).epsilon(1e-12));
  CHECK(lock.per_seed[1] == doctest::Approx(3.1).epsilon(1e-12));
  CHECK(std::isnan(lock.per_seed[2]));
  CHECK(lock.locked_seeds == 2);
  CHECK(lock.mean == doctest::Approx(2.7).epsilon(1e-12));    // over the seeds that locked on
  CHECK(lock.std_dev == doctest::Approx(0.4).epsilon(1e-9));  // ddof 0; ddof 1 would be 0.566
  CHECK(lock.mean_alpha_crossing == doctest::Approx(2.5).epsilon(1e-12));
  CHECK(lock.theory_sampled == doctest::Approx(2.6).epsilon(1e-12));
}

TEST_CASE("lock-on times are NaN, not zero, when no seed locks on") {
  SimulatedRun run;
  run.d = 16;
  for (std::uint64_t s = 0; s < 2; ++s) run.seeds.push_back({s, {0, 1, 2}, {{"M", {0.01, 0.02, 0.04}}, {"alpha", {0.11, 0.12, 0.13}}}});
  TheorySeries theory;
  theory.t = {0, 1, 2};
  theory.values["M"] = {0.01, 0.02, 0.04};
  const LockOnTimes lock = lock_on_times(run, theory, 9);
  CHECK(lock.locked_seeds == 0);
  CHECK(std::isnan(lock.mean));
  CHECK(std::isnan(lock.std_dev));
  CHECK(std::isnan(lock.mean_alpha_crossing));
  CHECK(std::isnan(lock.theory_sampled));
}
