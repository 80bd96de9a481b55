#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>

#include <cotdyn/tests/interaction/enumeration.hpp>
#include <cotdyn/interaction/rademacher_exact.hpp>

using namespace cotdyn::interaction;

TEST_CASE("exact Rademacher sum equals enumeration over all 2^T inputs for T <= 12 (1e-12)") {
  int checked = 0;
  for (Activation a : all_activations())
    for (double b : {0.0, 0.5})
      for (double v : {1.0, 2.5})
        for (int T : {1, 2, 3, 5, 8, 12})
          for (int r = 1; r <= std::min(T, 5); ++r) {
            const auto G = testing::enumerate_gradient(a, b, v, T, testing::parity_of_first(r));
            const ExactSignal s = rademacher_exact(a, b, v, r, T);
            if (T == r) {  // every position relevant: the gradient vanishes exactly
              for (auto g : G) CHECK(std::abs(double(g)) < 1e-15);
              CHECK(s.t_equals_r);
              CHECK(s.delta == 0.0);
              CHECK(s.grad_norm == 0.0);
              continue;
            }
            const double delta = double(G[0] - G[T - 1]);
            INFO(activation_name(a), " b=", b, " v=", v, " T=", T, " r=", r, " enum=", delta, " closed=", s.delta);
            CHECK(std::abs(s.delta - delta) <= 1e-12 * std::abs(delta) + 1e-16);
            CHECK(std::abs(s.g_in - double(G[0])) <= 1e-12 * std::abs(double(G[0])) + 1e-16);
            CHECK(std::abs(s.g_out - double(G[T - 1])) <= 1e-12 * std::abs(double(G[T - 1])) + 1e-16);
            long double norm2 = 0;
            for (auto g : G) norm2 += g * g;
            CHECK(std::abs(s.grad_norm - double(std::sqrt(norm2))) <= 1e-12 * s.grad_norm + 1e-16);
            ++checked;
          }
  CHECK(checked > 500);
}

TEST_CASE("precision is chosen automatically: double up to r log10(2T/v) <= 4 log10(2048), then multiprecision") {
  CHECK(exact_sum_precision_digits(4, 1024, 1.0) == 15);
  CHECK(exact_sum_precision_digits(4, 64, 1.0) == 15);
  CHECK(exact_sum_precision_digits(8, 36, 1.0) == 50);
  CHECK(exact_sum_precision_digits(16, 36, 1.0) == 50);
  CHECK(exact_sum_precision_digits(16, 4096, 1.0) == 100);
  CHECK(rademacher_exact(Activation::exp, 0.0, 1.0, 8, 36).precision_digits == 50);
  CHECK_THROWS_AS(exact_sum_precision_digits(64, 1 << 20, 1.0), std::invalid_argument);
}

TEST_CASE("multiprecision exact sum approaches the Taylor form at large T (exp, b = 0, r = 8)") {
  // For exp every derivative is 1: Delta_8 T^8 = 1 + 1/(2T) + O(T^-2).
  for (int T : {256, 1024}) {
    const ExactSignal s = rademacher_exact(Activation::exp, 0.0, 1.0, 8, T);
    CHECK(s.precision_digits >= 50);
    const double scaled = s.delta * std::pow(double(T), 8);
    CHECK(std::abs(scaled - (1.0 + 0.5 / T)) < 10.0 / (double(T) * T));
  }
}

TEST_CASE("bad input to the exact sum names the key") {
  auto message = [](auto&& f) {
    try {
      f();
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(message([] { rademacher_exact(Activation::tanh, 0, 1, 5, 4); }).find("interaction.r") != std::string::npos);
  CHECK(message([] { rademacher_exact(Activation::tanh, 0, 1, 1, 0); }).find("interaction.T") != std::string::npos);
  CHECK(message([] { rademacher_exact(Activation::tanh, 0, 1, 0, 4); }).find("interaction.r") != std::string::npos);
  CHECK(message([] { rademacher_exact(Activation::tanh, 0, -1, 1, 4); }).find("interaction.v") != std::string::npos);
  CHECK(message([] { parse_activation("sigmoid"); }).find("interaction.activations") != std::string::npos);
}
