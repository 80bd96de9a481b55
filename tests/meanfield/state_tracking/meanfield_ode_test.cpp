// docs/theory.md §4.3 and §16: the mean-field ODE is the population gradient flow of the training loss.
// With label noise that loss is the cross-entropy against the noisy targets, so each line of the noisy
// ODE is checked against a finite-difference gradient of noisy_population_loss, a separate formula:
//   dR/dt = -eta_W/(nK) dl/dA,  dQ/dt = -eta_W/(nK(K-1)) (dl/dH - dl/dA),  dM/dt = -2 eta_A N dl/dM
// (l depends on R, Q, P only through A = R - Q and H = Q - P, with P's own class moving P; on M through
// alpha(M), the wrong-lag scores at their mean -M/(L-1)).
#include <doctest/doctest.h>

#include <cotdyn/meanfield/state_tracking/meanfield_ode.hpp>

using namespace cotdyn::meanfield;

namespace {
constexpr double h = 1e-5;

double loss_at(const ModelParameters& p, const CountVectors& counts, DerivedQuantities q, double dA, double dH) {
  q.discrimination += dA;
  q.heuristic_strength += dH;
  return noisy_population_loss(p, counts, q);
}
}  // namespace

TEST_CASE("each line of the noisy ODE is the gradient flow of the loss on noisy targets") {
  for (double eps : {0.0, 0.3, 0.9}) {
    for (const OrderParameters x : {OrderParameters{0.3, 1.2, 0.7}, OrderParameters{2.0, 3.0, 0.2},
                                    OrderParameters{-0.1, 0.1, 0.4}, OrderParameters{1.5, 2.5, 0.9}}) {
      ModelParameters p;
      p.label_noise = eps;
      const MeanFieldOde ode(p);
      const auto& counts = ode.count_vectors();
      const auto q = derive(p, x);
      State dxdt;
      ode(to_state(x), dxdt, 0.0);
      const double dl_dA = (loss_at(p, counts, q, h, 0) - loss_at(p, counts, q, -h, 0)) / (2 * h);
      const double dl_dH = (loss_at(p, counts, q, 0, h) - loss_at(p, counts, q, 0, -h)) / (2 * h);
      const auto loss_at_M = [&](double M) {
        return noisy_population_loss(p, counts, derive(p, {M, x.teacher_alignment, x.offtarget_overlap}));
      };
      const double dl_dM = (loss_at_M(x.attention_retrieval + h) - loss_at_M(x.attention_retrieval - h)) / (2 * h);
      const double nK = static_cast<double>(p.n) * p.K;
      CAPTURE(eps);
      CAPTURE(x.attention_retrieval);
      CHECK(dxdt[1] == doctest::Approx(-p.eta_W / nK * dl_dA).epsilon(1e-7).scale(1e-3));
      CHECK(dxdt[2] == doctest::Approx(-p.eta_W / (nK * (p.K - 1)) * (dl_dH - dl_dA)).epsilon(1e-7).scale(1e-3));
      CHECK(dxdt[0] == doctest::Approx(-2 * p.eta_A * q.qk_norm * dl_dM).epsilon(1e-7).scale(1e-3));
    }
  }
}

TEST_CASE("at eps = 0 the right-hand side is the clean one of docs/theory.md §4.3, bit for bit") {
  const ModelParameters p;
  const MeanFieldOde ode(p);
  for (const OrderParameters x : {OrderParameters{0.3, 1.2, 0.7}, OrderParameters{5.0, 3.0, 0.2}, OrderParameters{}}) {
    State dxdt;
    ode(to_state(x), dxdt, 0.0);
    const auto q = derive(p, x);
    const auto e = context_average(p, ode.count_vectors(), q);
    const double lag_ratio = static_cast<double>(p.L) / (p.L - 1);
    const double nK = static_cast<double>(p.n) * p.K;
    const double force = lag_ratio * q.correct_lag_weight * q.discrimination *
                         (1.0 - e.correct_probability - e.correct_weight + e.weighted_probability);
    CHECK(dxdt[0] == 2.0 * p.eta_A * q.qk_norm * force);
    CHECK(dxdt[1] == p.eta_W / nK * (e.correct_weight - e.weighted_probability));
    CHECK(dxdt[2] == p.eta_W / (nK * (p.K - 1)) * (1.0 - e.correct_weight - e.image_probability + e.weighted_probability));
  }
}
