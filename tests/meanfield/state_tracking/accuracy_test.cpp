// docs/theory.md §5: the logit-distribution accuracy and its d = infinity limit.
#include <doctest/doctest.h>

#include <cmath>

#include <cotdyn/meanfield/state_tracking/accuracy.hpp>
#include <cotdyn/meanfield/state_tracking/context_average.hpp>
#include <cotdyn/meanfield/state_tracking/meanfield_ode.hpp>
#include <cotdyn/meanfield/state_tracking/solver.hpp>

using namespace cotdyn::meanfield;

TEST_CASE("the Gauss-Hermite rule integrates Gaussian moments exactly") {
  const QuadratureRule rule = gauss_hermite_rule(16);
  auto moment = [&](int k) {
    double sum = 0;
    for (std::size_t i = 0; i < rule.nodes.size(); ++i) sum += rule.weights[i] * std::pow(rule.nodes[i], k);
    return sum;
  };
  CHECK(moment(0) == doctest::Approx(1.0).epsilon(1e-13));
  CHECK(moment(1) == doctest::Approx(0.0).scale(1.0).epsilon(1e-13));
  CHECK(moment(2) == doctest::Approx(1.0).epsilon(1e-12));
  CHECK(moment(4) == doctest::Approx(3.0).epsilon(1e-12));
  CHECK(moment(30) == doctest::Approx(6190283353629375.0).epsilon(1e-9));  // 29!!, degree 30 <= 2*16-1
}

TEST_CASE("at t = 0 every logit is equal and the accuracy is 1/n, at every d") {
  const AccuracyModel model(ModelParameters{});
  CHECK(model.step_accuracy_noise_free({}) == doctest::Approx(1.0 / 24));
  CHECK(model.step_accuracy({}, 64) == doctest::Approx(1.0 / 24));
}

TEST_CASE("the logit-distribution accuracy tends to the noise-free accuracy as d grows") {
  const ModelParameters p;
  const MeanFieldOde ode(p);
  const AccuracyModel model(p);
  const Solution s = solve(ode, {20.0, 52.5, 80.0});  // plateau, just after lock-on, alignment
  for (const auto& x : s.states) {
    const double limit = model.step_accuracy_noise_free(x);
    double previous_gap = std::abs(model.step_accuracy(x, 64) - limit);
    for (double d : {1e3, 1e5, 1e7, 1e9}) {
      const double gap = std::abs(model.step_accuracy(x, d) - limit);
      CHECK(gap <= previous_gap + 1e-12);
      previous_gap = gap;
    }
    CHECK(previous_gap < 1e-3);
  }
}

TEST_CASE("the logit variances scale as 1/d") {
  const AccuracyModel model(ModelParameters{});
  const OrderParameters x{0.5, 1.3, 0.7};
  const auto v64 = model.logit_variances(x, 64), v256 = model.logit_variances(x, 256);
  CHECK(v64.correct_image == doctest::Approx(4 * v256.correct_image));
  CHECK(v64.competitor_image == doctest::Approx(4 * v256.competitor_image));
  CHECK(v64.non_image == doctest::Approx(4 * v256.non_image));
  CHECK(v256.correct_image > 0);
}

TEST_CASE("the final-state accuracy is the two-state chain: 1 at p = 1, 1/n at p = 1/n, and the chain run step by step") {
  const ModelParameters parameters{};  // n = 24, L = 9
  const AccuracyModel model(parameters);
  CHECK(model.final_state_accuracy(1.0) == doctest::Approx(1.0).epsilon(1e-15));
  CHECK(model.final_state_accuracy(1.0 / 24) == doctest::Approx(1.0 / 24).epsilon(1e-15));
  for (double p : {0.3, 0.54, 0.9}) {
    CAPTURE(p);
    // On track: stay with p; off track: a wrong step (1 - p) lands on the true state with 1/(n - 1).
    double on_track = 1;
    for (int step = 0; step < parameters.L; ++step) on_track = p * on_track + (1 - p) / 23 * (1 - on_track);
    CHECK(model.final_state_accuracy(p) == doctest::Approx(on_track).epsilon(1e-13));
    // Never below the exact-match rollout: every exact-match rollout ends on the right state.
    CHECK(model.final_state_accuracy(p) >= model.rollout_accuracy(p));
  }
}

TEST_CASE("the LD entropy tends to the mean-field entropy as d grows, and its correction shrinks with d") {
  ModelParameters p;
  p.label_noise = 0.3;
  const AccuracyModel model(p);
  const MeanFieldOde ode(p);
  for (double t : {30.0, 100.0, 200.0}) {
    CAPTURE(t);
    const OrderParameters x = solve(ode, {t}).states.back();
    const double mean_field = model_entropy(p, ode.count_vectors(), derive(p, x));
    // Noise of variance ~1e-12: the Monte Carlo average is the noise-free entropy to ~1e-6.
    CHECK(model.entropy(x, 1e12) == doctest::Approx(mean_field).epsilon(1e-6));
    // The correction's sign depends on the regime (docs/theory.md §16.3); its size falls with d.
    const double small = model.entropy(x, 32), large = model.entropy(x, 256);
    MESSAGE("t = " << t << ": H_mf " << mean_field << ", H_LD(256) " << large << ", H_LD(32) " << small);
    CHECK(std::abs(large - mean_field) < std::abs(small - mean_field));
  }
  // The draws are fixed: the same call gives the same number.
  const OrderParameters x = solve(ode, {100.0}).states.back();
  CHECK(model.entropy(x, 64) == model.entropy(x, 64));
}
