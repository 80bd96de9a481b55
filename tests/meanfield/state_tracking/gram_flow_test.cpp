// docs/theory.md §4.8: the population flow at quenched Gram matrices. At the identity it is the ODE of
// §4.3; at finite d it keeps the coefficient conservation law exactly and starts at chance accuracy.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include <cotdyn/meanfield/state_tracking/gram_flow.hpp>
#include <cotdyn/meanfield/state_tracking/gram_theory.hpp>
#include <cotdyn/meanfield/state_tracking/solver.hpp>
#include <cotdyn/meanfield/state_tracking/theory_run.hpp>
#include <cotdyn/simulation/state_tracking/permutation_task.hpp>

using namespace cotdyn::meanfield;

namespace {
std::vector<std::vector<int>> default_transition() {
  return cotdyn::task::make_permutation_task("S4", {{1, 0, 2, 3}, {0, 2, 1, 3}, {0, 1, 3, 2}, {1, 2, 3, 0}}).transition;
}
const Tolerances tight{1e-9, 1e-12};
}  // namespace

TEST_CASE("draw_gram_matrices: unit diagonal, symmetric, the same for a seed, off-diagonal variance 1/d") {
  const auto a = draw_gram_matrices(24, 4, 4096, 7), b = draw_gram_matrices(24, 4, 4096, 7);
  CHECK((a.state - b.state).norm() == 0.0);
  CHECK((a.action - b.action).norm() == 0.0);
  CHECK((draw_gram_matrices(24, 4, 4096, 8).state - a.state).norm() > 0.0);
  CHECK((a.state - a.state.transpose()).norm() == 0.0);
  CHECK((a.state.diagonal().array() - 1.0).abs().maxCoeff() < 1e-14);
  CHECK((a.action.diagonal().array() - 1.0).abs().maxCoeff() < 1e-14);
  double squares = 0;
  for (int i = 0; i < 24; ++i)
    for (int j = i + 1; j < 24; ++j) squares += a.state(i, j) * a.state(i, j);
  const double variance = squares / (24 * 23 / 2);  // 276 entries: relative standard error 0.085
  CHECK(variance * 4096 > 0.7);
  CHECK(variance * 4096 < 1.3);
}

TEST_CASE("at identity Gram matrices the flow is the mean-field ODE: class means, M and the loss to 1e-6") {
  for (double eps : {0.0, 0.3}) {
    ModelParameters p;
    p.label_noise = eps;
    const GramFlow flow(p, default_transition(), identity_gram(p.n, p.K));
    const std::vector<double> times = {0, 20, 45, 55};  // through the lock-on at 50.16
    const auto run = integrate_gram_flow(flow, times, tight);
    const MeanFieldOde ode(p);
    const auto ode_run = solve(ode, times, tight);
    for (std::size_t i = 0; i < times.size(); ++i) {
      const auto& g = run.rows[i];
      const auto& x = ode_run.states[i];
      const auto q = derive(p, x);
      CAPTURE(eps);
      CAPTURE(times[i]);
      CHECK(g.M == doctest::Approx(x.attention_retrieval).epsilon(1e-6));
      CHECK(g.coefficient.teacher == doctest::Approx(x.teacher_alignment).epsilon(1e-6));
      CHECK(g.coefficient.image == doctest::Approx(x.offtarget_overlap).epsilon(1e-6));
      CHECK(g.coefficient.other == doctest::Approx(q.other_overlap).epsilon(1e-6));
      CHECK(g.logit.teacher == doctest::Approx(g.coefficient.teacher).epsilon(1e-12));
      CHECK(g.loss == doctest::Approx(population_loss(p, ode.count_vectors(), q)).epsilon(1e-6));
    }
    if (eps == 0.0) CHECK(run.lock_on_time == doctest::Approx(ode_run.lock_on_time).epsilon(1e-6));
  }
}

TEST_CASE("at finite d the coefficients keep R_c + (K-1) Q_c + (n-K) P_c = 0 and logit space does not") {
  ModelParameters p;
  const GramFlow flow(p, default_transition(), draw_gram_matrices(p.n, p.K, 32, 1));
  const auto run = integrate_gram_flow(flow, {0, 20, 40}, {1e-6, 1e-9});
  const auto& start = run.rows.front();
  CHECK(start.step_acc == doctest::Approx(1.0 / p.n).epsilon(1e-12));  // all logits equal: argmax is state 0
  CHECK(start.loss == doctest::Approx(std::log(24.0)).epsilon(1e-12));
  for (const auto& row : run.rows) {
    const auto& c = row.coefficient;
    CHECK(std::abs(c.teacher + (p.K - 1) * c.image + (p.n - p.K) * c.other) < 1e-10);
  }
  const auto& end = run.rows.back();
  CHECK(std::abs(end.logit.teacher + (p.K - 1) * end.logit.image + (p.n - p.K) * end.logit.other) > 1e-6);
  CHECK(end.coefficient.teacher > 1.0);  // it learns
}
