#include <doctest/doctest.h>

#include <cmath>

#include <cotdyn/tests/interaction/enumeration.hpp>
#include <cotdyn/interaction/boolean_target.hpp>
#include <cotdyn/interaction/cot_compression.hpp>
#include <cotdyn/interaction/rademacher_exact.hpp>

using namespace cotdyn::interaction;

namespace {
// |a - b| <= rel |b| + abs
bool close(double a, double b, double rel, double abs) { return std::abs(a - b) <= rel * std::abs(b) + abs; }
}  // namespace

namespace {
testing::Target from_table(const TruthTable& t) {
  return [t](const std::vector<int>& x) {
    unsigned mask = 0;
    for (int i = 0; i < t.r; ++i)
      if (x[i] > 0) mask |= 1u << i;
    return static_cast<long double>(t.values[mask]);
  };
}
}  // namespace

TEST_CASE("Walsh coefficients: parity is one level-r coefficient, AND has 2^{-r} at every subset") {
  const auto parity = walsh_coefficients(parity_table(3));
  for (unsigned U = 0; U < 8; ++U) CHECK(parity[U] == doctest::Approx(U == 7 ? 1.0 : 0.0));
  const auto conjunction = walsh_coefficients(and_table(3));
  for (unsigned U = 0; U < 8; ++U) CHECK(conjunction[U] == doctest::Approx(1.0 / 8));
}

TEST_CASE("level-by-level decomposition equals enumeration for parity, AND and majority") {
  for (const TruthTable& t : {parity_table(3), and_table(3), majority_table(3), majority_table(4), and_table(2)})
    for (Activation a : {Activation::tanh, Activation::gelu, Activation::relu})
      for (int T : {6, 10}) {
        INFO(activation_name(a), " r=", t.r, " T=", T);
        const BooleanDecomposition d = decompose_boolean_target(t, a, 0.5, 1.0, T);
        const auto G = testing::enumerate_gradient(a, 0.5, 1.0, T, from_table(t));
        for (int j = 0; j < t.r; ++j) CHECK(close(d.g_relevant[j], double(G[j]), 1e-10, 1e-14));
        CHECK(close(d.g_out, double(G[T - 1]), 1e-10, 1e-14));
      }
}

TEST_CASE("AND of r bits is dominated by its order-1 part, about 2^{-r} sigma'(b)/T, and parity has only level r") {
  const int r = 4, T = 32;
  const BooleanDecomposition d = decompose_boolean_target(and_table(r), Activation::tanh, 0.5, 1.0, T);
  CHECK(d.levels[0].g_in == doctest::Approx(std::pow(2.0, -r) * activation_slope(Activation::tanh, 0.5) / T).epsilon(0.05));
  CHECK(std::abs(d.levels[0].g_in) > 0.9 * std::abs(d.g_in));
  const BooleanDecomposition p = decompose_boolean_target(parity_table(r), Activation::tanh, 0.5, 1.0, T);
  CHECK(p.levels[r - 1].weight == doctest::Approx(1.0));
  CHECK(p.g_in == doctest::Approx(rademacher_exact(Activation::tanh, 0.5, 1.0, r, T).g_in).epsilon(1e-12));
}

TEST_CASE("CoT-compression default table: exp, b = 0, v = 1, T = 36 (INTERACTION.md values)") {
  const auto table = cot_compression_table();
  REQUIRE(table.size() == 4);
  CHECK(table[0].order == 2);
  CHECK(table[1].order == 4);
  CHECK(table[2].order == 8);
  CHECK(table[3].order == 16);
  // INTERACTION.md gives two significant digits.
  CHECK(table[0].delta_exact == doctest::Approx(7.8e-4).epsilon(0.01));
  CHECK(table[1].delta_exact == doctest::Approx(6.0e-7).epsilon(0.01));
  CHECK(table[2].delta_exact == doctest::Approx(3.6e-13).epsilon(0.02));
  CHECK(table[2].precision_digits >= 50);
  CHECK(table[3].delta_exact > 0);
  for (const auto& row : table) {
    INFO("r=", row.order);
    CHECK(row.delta_exact == doctest::Approx(row.delta_taylor).epsilon(0.25));  // exp: Taylor close at T = 36
    if (&row != &table[0]) CHECK(row.sample_complexity > 1e3 * (&row - 1)->sample_complexity);
    CHECK(row.sample_complexity == doctest::Approx(row.sample_complexity_scaling).epsilon(0.9));
  }
}

TEST_CASE("single-sample second moment matches enumeration") {
  const int T = 10;
  const auto squared = [](Activation a, double b, double v, int T) {
    long double m = 0;
    const unsigned n = 1u << T;
    for (unsigned mask = 0; mask < n; ++mask) {
      long double z = 0;
      for (int i = 0; i < T; ++i) z += (mask >> i) & 1u ? 1 : -1;
      z *= v / T;
      const int x0 = mask & 1u ? 1 : -1;
      const long double g = activation_slope(a, double(b + z)) * (v * x0 - z) / T;
      m += g * g;
    }
    return double(m / n);
  };
  for (Activation a : {Activation::exp, Activation::tanh, Activation::relu})
    CHECK(rademacher_gradient_second_moment(a, 0.0, 1.0, T) == doctest::Approx(squared(a, 0.0, 1.0, T)).epsilon(1e-12));
}
