// docs/theory.md §6: at t = 0 all logits are equal, alpha = 1/L, and the slopes have closed forms.
#include <doctest/doctest.h>

#include <cotdyn/meanfield/state_tracking/meanfield_ode.hpp>
#include <cotdyn/meanfield/state_tracking/plateau_estimate.hpp>
#include <cotdyn/meanfield/state_tracking/solver.hpp>

using namespace cotdyn::meanfield;

TEST_CASE("the initial slopes dR/dt and dQ/dt match their closed forms") {
  for (const ModelParameters p : {ModelParameters{}, ModelParameters{120, 6, 17, 4.0, 0.5, 1e-4},
                                  ModelParameters{6, 3, 3, 1.0, 1.0, 0.1}}) {
    const MeanFieldOde ode(p);
    State dxdt;
    ode(to_state({}), dxdt, 0.0);
    CAPTURE(p.n);
    CHECK(dxdt[0] == 0.0);  // no force on the attention before the logic module discriminates
    CHECK(dxdt[1] == doctest::Approx(initial_alignment_slope(p)).epsilon(1e-13));
    CHECK(dxdt[2] == doctest::Approx(initial_offtarget_slope(p)).epsilon(1e-13));
    // d(R - Q)/dt = eta_W alpha / (n K)
    CHECK(dxdt[1] - dxdt[2] == doctest::Approx(p.eta_W / (p.L * p.n * p.K)).epsilon(1e-12));
  }
}

TEST_CASE("with label noise every initial slope is 1 - eps times the clean one, and the ODE agrees") {
  // docs/theory.md §16: at t = 0 p is uniform, so the mean target minus p is (1 - eps)(e_correct - 1/n).
  for (double eps : {0.3, 0.75}) {
    ModelParameters clean, p;
    p.label_noise = eps;
    const MeanFieldOde ode(p);
    State dxdt;
    ode(to_state({}), dxdt, 0.0);
    CAPTURE(eps);
    CHECK(dxdt[1] == doctest::Approx((1 - eps) * initial_alignment_slope(clean)).epsilon(1e-13));
    CHECK(dxdt[2] == doctest::Approx((1 - eps) * initial_offtarget_slope(clean)).epsilon(1e-13));
    CHECK(dxdt[1] == doctest::Approx(initial_alignment_slope(p)).epsilon(1e-13));
    CHECK(dxdt[2] == doctest::Approx(initial_offtarget_slope(p)).epsilon(1e-13));
    // The attention force carries (1 - eps) from the target and (1 - eps) from A: the plateau lasts 1/(1 - eps) longer.
    CHECK(lock_on_time_estimate(p) == doctest::Approx(lock_on_time_estimate(clean) / (1 - eps)).epsilon(1e-14));
  }
  // 55.36 / 0.7 = 79.09 against the noisy ODE's 71.867: +10 %, as the clean estimate's +10.4 %.
  ModelParameters p;
  p.label_noise = 0.3;
  const double ode_t_half = solve(MeanFieldOde(p), {0.0, 150.0}).lock_on_time;
  CHECK(lock_on_time_estimate(p) / ode_t_half - 1 == doctest::Approx(0.10).epsilon(0.05));
}

TEST_CASE("Q initially grows exactly when n(L-1) > K L") {
  const ModelParameters grows{24, 4, 9, 10, 2, 0.01};        // 24*8 > 36
  const ModelParameters shrinks{6, 4, 2, 10, 2, 0.01};       // 6*1 < 8
  CHECK(initial_offtarget_slope(grows) > 0);
  CHECK(initial_offtarget_slope(shrinks) < 0);
}
