// The class-sum conservation law: the R and Q equations imply dP/dt = -eta_W (1 - E3) / (n K (n - K)),
// the non-image class average of the logic gradient, so R + (K-1) Q + (n-K) P = 0 stays exact; with
// label noise (docs/theory.md §16) dP/dt = -eta_W ((1 - E3) - eps (n-K)/n) / (n K (n - K)).
#include <doctest/doctest.h>

#include <cotdyn/meanfield/state_tracking/meanfield_ode.hpp>

using namespace cotdyn::meanfield;

TEST_CASE("the R and Q equations conserve R + (K-1)Q + (n-K)P with P's own class gradient") {
  for (const ModelParameters p : {ModelParameters{}, ModelParameters{120, 6, 5, 3.0, 0.5, 1e-3},
                                  ModelParameters{24, 4, 9, 10.0, 2.0, 0.01, 0.3},
                                  ModelParameters{120, 6, 5, 3.0, 0.5, 1e-3, 0.7}}) {
    const MeanFieldOde ode(p);
    for (const OrderParameters x : {OrderParameters{0.3, 1.2, 0.7}, OrderParameters{5.0, 3.0, 0.2},
                                    OrderParameters{-0.1, 0.1, 0.4}}) {
      State dxdt;
      ode(to_state(x), dxdt, 0.0);
      const auto e = context_average(p, ode.count_vectors(), derive(p, x));
      // Label noise (docs/theory.md §16) puts eps/n of target mass on each non-image.
      const double dP = -p.eta_W * ((1.0 - e.image_probability) - p.label_noise * (p.n - p.K) / p.n) /
                        (p.n * p.K * (p.n - p.K));
      CHECK(dxdt[1] + (p.K - 1) * dxdt[2] + (p.n - p.K) * dP == doctest::Approx(0.0).scale(1e-3).epsilon(1e-12));
    }
  }
}

TEST_CASE("the derived P satisfies the conservation law along the trajectory") {
  const ModelParameters p;
  for (const OrderParameters x : {OrderParameters{0.3, 1.2, 0.7}, OrderParameters{5.0, 3.0, 0.2}}) {
    const auto q = derive(p, x);
    CHECK(x.teacher_alignment + (p.K - 1) * x.offtarget_overlap + (p.n - p.K) * q.other_overlap ==
          doctest::Approx(0.0).scale(1.0));
    CHECK(q.qk_norm * q.qk_norm - x.attention_retrieval * x.attention_retrieval ==
          doctest::Approx(p.sigma2 * p.sigma2));
  }
}
