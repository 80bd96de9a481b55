#include <doctest/doctest.h>

#include <cmath>

#include <cotdyn/interaction/rademacher_exact.hpp>
#include <cotdyn/interaction/gaussian.hpp>

using namespace cotdyn::interaction;

TEST_CASE("odd activation about b = 0 (tanh, identity, x3): every even-r signal is exactly 0") {
  for (Activation a : {Activation::tanh, Activation::identity, Activation::x3})
    for (int T : {4, 7, 16, 33, 64})
      for (int r : {2, 4}) {
        INFO(activation_name(a), " T=", T, " r=", r);
        CHECK(std::abs(rademacher_exact(a, 0.0, 1.0, r, T).delta) < 1e-15);
        CHECK(std::abs(gaussian_delta(a, 0.0, 1.0, r, T)) < 1e-15);
      }
  // ...and not zero for odd r (the rule is not vacuous) nor away from b = 0
  CHECK(std::abs(rademacher_exact(Activation::tanh, 0.0, 1.0, 3, 16).delta) > 1e-6);
  CHECK(std::abs(rademacher_exact(Activation::tanh, 0.5, 1.0, 2, 16).delta) > 1e-4);
}

TEST_CASE("linear-plus-even activation at b = 0 (GELU, SiLU, softplus, x2): every odd r >= 3 is exactly 0") {
  for (Activation a : {Activation::gelu, Activation::silu, Activation::softplus, Activation::x2})
    for (int T : {4, 7, 16, 33, 64})
      for (int r : {3}) {
        INFO(activation_name(a), " T=", T, " r=", r);
        CHECK(std::abs(rademacher_exact(a, 0.0, 1.0, r, T).delta) < 1e-15);
        CHECK(std::abs(gaussian_delta(a, 0.0, 1.0, r, T)) < 1e-15);
      }
  CHECK(std::abs(rademacher_exact(Activation::gelu, 0.0, 1.0, 2, 16).delta) > 1e-4);
  CHECK(std::abs(rademacher_exact(Activation::gelu, 0.3, 1.0, 3, 16).delta) > 1e-7);
}

TEST_CASE("ReLU is excluded from the odd-r zero rule: zero only when the kink is unreachable") {
  CHECK(std::abs(rademacher_exact(Activation::relu, 0.0, 1.0, 3, 15).delta) < 1e-15);
  CHECK(std::abs(rademacher_exact(Activation::relu, 0.0, 1.0, 3, 16).delta) > 1e-4);
}

TEST_CASE("Delta_1 = v sigma'(0) / T exactly for linear-plus-even activations (GELU, SiLU, softplus)") {
  for (Activation a : {Activation::gelu, Activation::silu, Activation::softplus})
    for (double v : {1.0, 3.0})
      for (int T : {2, 5, 16, 64}) {
        INFO(activation_name(a), " v=", v, " T=", T);
        const double expected = v * activation_slope(a, 0.0) / T;
        CHECK(rademacher_exact(a, 0.0, v, 1, T).delta == doctest::Approx(expected).epsilon(1e-13));
        CHECK(gaussian_delta(a, 0.0, v, 1, T) == doctest::Approx(expected).epsilon(1e-12));
      }
  CHECK(rademacher_exact(Activation::gelu, 0.0, 1.0, 1, 16).delta == doctest::Approx(0.5 / 16).epsilon(1e-13));
}
