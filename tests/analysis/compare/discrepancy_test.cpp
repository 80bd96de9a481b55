// Discrepancy between seed mean and theory, and the finite-size fits of its scaling with d, on
// synthetic data whose answers are known in closed form.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <cotdyn/analysis/compare/comparison_data.hpp>
#include <cotdyn/analysis/compare/discrepancy.hpp>

using namespace cotdyn::compare;

namespace {
// Two seeds at mean[i] -+ spread[i]: the seed mean is mean[i] and the ddof-0 standard deviation is spread[i]
// (ddof 1 would give sqrt(2) spread[i]).
SimulatedRun two_seed_run(int d, const std::string& quantity, const std::vector<double>& t,
                          const std::vector<double>& mean, const std::vector<double>& spread) {
  SimulatedRun run;
  run.d = d;
  for (std::uint64_t s = 0; s < 2; ++s) {
    SeedSeries seed;
    seed.seed = s;
    seed.t = t;
    for (std::size_t i = 0; i < t.size(); ++i) seed.values[quantity].push_back(mean[i] + (s == 0 ? -1 : 1) * spread[i]);
    run.seeds.push_back(seed);
  }
  return run;
}

TheorySeries theory_of(int d, const std::string& quantity, const std::vector<double>& t,
                       const std::vector<double>& values) {
  TheorySeries theory;
  theory.d = d;
  theory.t = t;
  theory.values[quantity] = values;
  return theory;
}

const std::vector<double> times = {0, 1, 2, 3};
const std::vector<double> seed_mean = {2, 3, 4, 5};
const std::vector<double> spread = {0, 1, 2, 3};             // mean over time 1.5
const std::vector<double> theory_values = {1, 4, 2, 5};      // |gap| = 1, 1, 2, 0
}  // namespace

TEST_CASE("seed mean and seed standard deviation use ddof 0") {
  SimulatedRun run;
  run.d = 16;
  for (std::uint64_t s = 0; s < 3; ++s) {
    SeedSeries seed;
    seed.seed = s;
    seed.t = {0, 1};
    seed.values["R"] = {double(s + 1), 10.0};  // 1, 2, 3 at t = 0; constant at t = 1
    run.seeds.push_back(seed);
  }
  const auto mean = run.mean("R"), sd = run.std_dev("R");
  REQUIRE(mean.size() == 2);
  CHECK(mean[0] == doctest::Approx(2.0).epsilon(1e-15));
  CHECK(mean[1] == doctest::Approx(10.0).epsilon(1e-15));
  CHECK(sd[0] == doctest::Approx(std::sqrt(2.0 / 3.0)).epsilon(1e-14));  // ddof 1 would be 1
  CHECK(sd[1] == doctest::Approx(0.0));
  CHECK_THROWS_AS(run.mean("not_a_quantity"), std::out_of_range);
}

TEST_CASE("discrepancy: RMS and max of |seed mean - theory| and the time-averaged seed s.d. (ddof 0)") {
  const SimulatedRun run = two_seed_run(32, "M", times, seed_mean, spread);
  const TheorySeries theory = theory_of(32, "M", times, theory_values);
  const Discrepancy x = discrepancy(run, theory, {"M", "M"});
  CHECK(x.d == 32);
  CHECK(x.quantity == "M");
  CHECK(x.rms == doctest::Approx(std::sqrt((1.0 + 1.0 + 4.0 + 0.0) / 4.0)).epsilon(1e-14));
  CHECK(x.max == doctest::Approx(2.0).epsilon(1e-14));
  CHECK(x.seed_std == doctest::Approx(1.5).epsilon(1e-14));  // ddof 1 would give 1.5 sqrt(2)
}

TEST_CASE("discrepancy of a coefficient-space quantity is taken against the paired theory series") {
  const SimulatedRun run = two_seed_run(16, "R_c", times, seed_mean, spread);
  TheorySeries theory = theory_of(16, "R", times, theory_values);
  theory.values["R_c"] = seed_mean;  // a decoy: R_c must be compared with the theory's R, not with this
  const Discrepancy x = discrepancy(run, theory, {"R_c", "R"});
  CHECK(x.quantity == "R_c");
  CHECK(x.max == doctest::Approx(2.0).epsilon(1e-14));
  CHECK(x.rms == doctest::Approx(std::sqrt(1.5)).epsilon(1e-14));
}

TEST_CASE("a seed mean equal to the theory has zero discrepancy but keeps its seed spread") {
  const SimulatedRun run = two_seed_run(16, "Q", times, seed_mean, spread);
  const Discrepancy x = discrepancy(run, theory_of(16, "Q", times, seed_mean), {"Q", "Q"});
  CHECK(x.rms == 0.0);
  CHECK(x.max == 0.0);
  CHECK(x.seed_std == doctest::Approx(1.5).epsilon(1e-14));
}

TEST_CASE("discrepancy refuses a theory without the series or on other times") {
  const SimulatedRun run = two_seed_run(16, "M", times, seed_mean, spread);
  CHECK_THROWS_AS(discrepancy(run, theory_of(16, "alpha", times, theory_values), {"M", "M"}), std::invalid_argument);
  CHECK_THROWS_AS(discrepancy(run, theory_of(16, "M", {0, 1, 2}, {1, 4, 2}), {"M", "M"}), std::invalid_argument);
}


TEST_CASE("discrepancy in units of its error: the standard error of the seed mean and the z-scores") {
  // Two seeds at mean -+ spread: ddof-1 s.d. sqrt(2) spread, s.e. = spread. Signed gaps 1, -1, 2, 0;
  // at t = 0 the seeds agree (s.e. 0) and that time has no z.
  const SimulatedRun run = two_seed_run(32, "M", times, seed_mean, spread);
  const Discrepancy x = discrepancy(run, theory_of(32, "M", times, theory_values), {"M", "M"});
  CHECK(x.sem == doctest::Approx(1.5).epsilon(1e-14));
  CHECK(x.z_rms == doctest::Approx(std::sqrt(2.0 / 3.0)).epsilon(1e-14));  // z = -1, 1, 0
  CHECK(x.z_max == doctest::Approx(-1.0).epsilon(1e-14));                  // the first of the largest |z|
  CHECK(x.t_z_max == 1.0);
  // The seed bootstrap: a resample of two copies of one seed, or one of each (the full set's RMS).
  CHECK(x.rms_low == doctest::Approx(std::sqrt(1.5)).epsilon(1e-14));
  CHECK(x.rms_high >= std::sqrt(14.0 / 4.0) - 1e-12);
  CHECK(x.rms_high <= std::sqrt(26.0 / 4.0) + 1e-12);
}

TEST_CASE("with one seed, or seeds that agree at every time, the z-scores are undefined") {
  SimulatedRun one = two_seed_run(16, "M", times, seed_mean, spread);
  one.seeds.pop_back();
  const Discrepancy x = discrepancy(one, theory_of(16, "M", times, theory_values), {"M", "M"});
  CHECK(std::isnan(x.sem));
  CHECK(std::isnan(x.z_rms));
  CHECK(std::isnan(x.z_max));
  CHECK(std::isnan(x.rms_low));
  const SimulatedRun same = two_seed_run(16, "M", times, seed_mean, {0, 0, 0, 0});
  const Discrepancy y = discrepancy(same, theory_of(16, "M", times, theory_values), {"M", "M"});
  CHECK(y.sem == 0.0);
  CHECK(std::isnan(y.z_rms));
  CHECK(std::isnan(y.t_z_max));
}
