// docs/theory.md §16: the noisy target's law and entropy, and the noisy task's mean-field trajectory
// against the reference values of an independent implementation (LSODA at 1e-10 / 1e-13).
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include <cotdyn/meanfield/state_tracking/label_noise.hpp>
#include <cotdyn/meanfield/state_tracking/theory_run.hpp>

using namespace cotdyn::meanfield;

namespace {
ModelParameters noisy(double eps) {
  ModelParameters p;
  p.label_noise = eps;
  return p;
}
}  // namespace

TEST_CASE("the noisy target puts 1 - eps + eps/n on the correct image, and its entropy is 1.5014 nats at n = 24, eps = 0.3") {
  CHECK(target_correct_probability(noisy(0.3)) == doctest::Approx(0.7125).epsilon(1e-15));
  // -p_c log p_c - (n-1)(eps/n) log(eps/n), written out
  const double other = 0.3 / 24;
  CHECK(target_entropy(noisy(0.3)) == doctest::Approx(-0.7125 * std::log(0.7125) - 23 * other * std::log(other)).epsilon(1e-14));
  CHECK(std::abs(target_entropy(noisy(0.3)) - 1.501353) < 1e-6);
  // Clean: a deterministic target (+0, not -0).
  CHECK(target_correct_probability(noisy(0.0)) == 1.0);
  CHECK(target_entropy(noisy(0.0)) == 0.0);
  CHECK_FALSE(std::signbit(target_entropy(noisy(0.0))));
  // Near eps = 1 the target tends to uniform: entropy log n.
  CHECK(target_entropy(noisy(1.0 - 1e-12)) == doctest::Approx(std::log(24.0)).epsilon(1e-9));
}

TEST_CASE("the noisy trajectory at eps = 0.3 reproduces the reference values of docs/theory.md §16 to 1e-5") {
  struct Reference {
    double t, M, R, Q, entropy, p_correct, noisy_loss;
  };
  const Reference reference[] = {
      {50, 0.053890, 0.970905, 0.568631, 3.116169, 0.080019, 2.738338},
      {100, 7.209531, 2.650349, 0.600959, 2.530622, 0.396340, 1.719482},
      {200, 8.326979, 3.794738, 0.402594, 1.586023, 0.688708, 1.510838},
      {300, 8.438105, 3.886731, 0.311644, 1.502210, 0.710680, 1.507068},
  };
  const TheoryResult result = run_theory(noisy(0.3), {50, 100, 200, 300}, Tolerances{}, {});
  REQUIRE(result.label_noise);
  REQUIRE(result.rows.size() == std::size(reference));
  for (std::size_t i = 0; i < result.rows.size(); ++i) {
    const auto& row = result.rows[i];
    const auto& ref = reference[i];
    CAPTURE(ref.t);
    REQUIRE(row.label_noise.has_value());
    // 1e-5 relative to the reference's six decimals (absolute below 1).
    const auto close = [](double value, double expected) {
      return std::abs(value - expected) <= 1e-5 * std::max(1.0, std::abs(expected));
    };
    CHECK(close(row.state.attention_retrieval, ref.M));
    CHECK(close(row.state.teacher_alignment, ref.R));
    CHECK(close(row.state.offtarget_overlap, ref.Q));
    CHECK(close(row.label_noise->entropy, ref.entropy));
    CHECK(close(row.label_noise->correct_probability, ref.p_correct));
    CHECK(close(row.label_noise->noisy_loss, ref.noisy_loss));
    CHECK(row.label_noise->target_entropy == target_entropy(noisy(0.3)));
  }
}

TEST_CASE("label noise delays lock-on (alpha = 1/2) from t = 50.156 to 71.867") {
  CHECK(std::abs(solve(MeanFieldOde(noisy(0.0)), {0.0, 150.0}).lock_on_time - 50.156) <= 1e-3);
  CHECK(std::abs(solve(MeanFieldOde(noisy(0.3)), {0.0, 150.0}).lock_on_time - 71.867) <= 1e-3);
}

TEST_CASE("along the noisy trajectory the entropy falls monotonically toward the target's, p_1 never exceeds p_c, and the class sum stays zero") {
  const ModelParameters p = noisy(0.3);
  const MeanFieldOde ode(p);
  std::vector<double> times;
  for (int i = 0; i <= 600; ++i) times.push_back(0.5 * i);
  const Solution solution = solve(ode, times);
  const double floor = target_entropy(p), p_c = target_correct_probability(p);
  double previous = std::log(static_cast<double>(p.n)) + 1e-12;  // all logits equal at t = 0
  double highest_p1 = 0;
  for (std::size_t i = 0; i < solution.times.size(); ++i) {
    const auto& x = solution.states[i];
    const auto q = derive(p, x);
    const double entropy = model_entropy(p, ode.count_vectors(), q);
    CAPTURE(solution.times[i]);
    CHECK(entropy <= previous);
    CHECK(entropy >= floor);
    CHECK(noisy_population_loss(p, ode.count_vectors(), q) >= floor);
    highest_p1 = std::max(highest_p1, context_average(p, ode.count_vectors(), q).correct_probability);
    CHECK(x.teacher_alignment + (p.K - 1) * x.offtarget_overlap + (p.n - p.K) * q.other_overlap ==
          doctest::Approx(0.0).scale(1.0));
    previous = entropy;
  }
  CHECK(highest_p1 <= p_c);
  CHECK(highest_p1 > p_c - 0.01);  // and it comes close by t = 300
  CHECK(previous - floor < 1e-3);
}

TEST_CASE("once attention is locked on (alpha = 1) the fixed point is calibrated: p_1 = p_c, every other state eps/n") {
  for (double eps : {0.05, 0.3, 0.8}) {
    const ModelParameters p = noisy(eps);
    const MeanFieldOde ode(p);
    // alpha = 1: zeta_1 = H + A, the competitors at H, the non-images at 0. Calibration needs H = 0
    // (Q = P) and e^A / (e^A + n - 1) = p_c; with R + (K-1)Q + (n-K)P = 0 that is R = A (n-1)/n.
    const double p_c = target_correct_probability(p);
    const double A = std::log(p_c * p.n / eps);
    const double R = A * (p.n - 1) / p.n, Q = -R / (p.n - 1);
    const OrderParameters x{100.0, R, Q};
    const auto q = derive(p, x);
    CAPTURE(eps);
    REQUIRE(q.correct_lag_weight == 1.0);
    State dxdt;
    ode(to_state(x), dxdt, 0.0);
    CHECK(std::abs(dxdt[0]) < 1e-12);
    CHECK(std::abs(dxdt[1]) < 1e-14);
    CHECK(std::abs(dxdt[2]) < 1e-14);
    const auto e = context_average(p, ode.count_vectors(), q);
    CHECK(e.correct_probability == doctest::Approx(p_c).epsilon(1e-13));
    CHECK(e.image_probability - e.correct_probability == doctest::Approx((p.K - 1) * eps / p.n).epsilon(1e-12));
    CHECK(model_entropy(p, ode.count_vectors(), q) == doctest::Approx(target_entropy(p)).epsilon(1e-12));
    CHECK(noisy_population_loss(p, ode.count_vectors(), q) == doctest::Approx(target_entropy(p)).epsilon(1e-12));
  }
}

TEST_CASE("after t = 300 the entropy dips below the target's and p_1 overshoots p_c slightly before both settle") {
  // docs/theory.md §16: the monotone approach holds to t = 300 only. The remaining mass sits on the
  // competitor images (Q > P) longer than on the non-images, so H_mf falls below H_target (by 0.0055 nats
  // at t = 403.5) and p_1 rises 3.4e-4 above p_c (t = 465); the noisy loss never falls below H_target.
  const ModelParameters p = noisy(0.3);
  const MeanFieldOde ode(p);
  const Solution s = solve(ode, {403.5, 465.0, 10000.0});
  const auto at = [&](std::size_t i) { return derive(p, s.states[i]); };
  const double floor = target_entropy(p), p_c = target_correct_probability(p);
  CHECK(model_entropy(p, ode.count_vectors(), at(0)) == doctest::Approx(floor - 0.0055).epsilon(0.001));
  CHECK(context_average(p, ode.count_vectors(), at(1)).correct_probability == doctest::Approx(p_c + 3.4e-4).epsilon(1e-5));
  for (std::size_t i = 0; i < 3; ++i) CHECK(noisy_population_loss(p, ode.count_vectors(), at(i)) >= floor);
  CHECK(std::abs(model_entropy(p, ode.count_vectors(), at(2)) - floor) < 1e-6);
  CHECK(std::abs(context_average(p, ode.count_vectors(), at(2)).correct_probability - p_c) < 1e-6);
}
