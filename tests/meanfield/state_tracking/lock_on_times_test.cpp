// docs/theory.md §4.7: lock-on times (alpha = 1/2) located with the dense output.
#include <doctest/doctest.h>

#include <cmath>

#include <cotdyn/meanfield/state_tracking/solver.hpp>

using namespace cotdyn::meanfield;

TEST_CASE("the lock-on times of docs/theory.md §4.7 are reproduced to 1e-3") {
  struct Case {
    int n, K, L;
    double sigma2, t_half;
  };
  const Case cases[] = {{24, 4, 9, 1e-2, 50.156}, {24, 4, 9, 1e-4, 70.788}, {24, 4, 5, 1e-2, 27.689},
                        {24, 6, 9, 1e-2, 58.099}};
  for (const Case& c : cases) {
    ModelParameters p;
    p.n = c.n;
    p.K = c.K;
    p.L = c.L;
    p.sigma2 = c.sigma2;
    CAPTURE(c.K);
    CAPTURE(c.L);
    CAPTURE(c.sigma2);
    const Solution s = solve(MeanFieldOde(p), {0.0, 150.0});
    CHECK(std::abs(s.lock_on_time - c.t_half) <= 1e-3);
  }
}

TEST_CASE("at the located lock-on time alpha is 1/2 to the solver's accuracy") {
  const MeanFieldOde ode(ModelParameters{});
  const Solution s = solve(ode, {0.0, 100.0});
  const Solution at = solve(ode, {s.lock_on_time});
  const double alpha = derive(ode.parameters(), at.states[0]).correct_lag_weight;
  CHECK(std::abs(alpha - 0.5) < 1e-7);
}

TEST_CASE("a lock-on beyond the last observation time is reported as not reached") {
  const Solution s = solve(MeanFieldOde(ModelParameters{}), {0.0, 40.0});
  CHECK(std::isnan(s.lock_on_time));
}

TEST_CASE("the maximum of Q is a stationary point of Q") {
  const MeanFieldOde ode(ModelParameters{});
  const Solution s = solve(ode, {0.0, 100.0});
  REQUIRE(std::isfinite(s.offtarget_peak_time));
  const Solution around = solve(ode, {s.offtarget_peak_time - 0.5, s.offtarget_peak_time, s.offtarget_peak_time + 0.5});
  CHECK(around.states[1].offtarget_overlap == doctest::Approx(s.offtarget_peak).epsilon(1e-9));
  CHECK(around.states[0].offtarget_overlap < s.offtarget_peak);
  CHECK(around.states[2].offtarget_overlap < s.offtarget_peak);
}
