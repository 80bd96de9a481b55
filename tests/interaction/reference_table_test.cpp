#include <doctest/doctest.h>

#include <cmath>

#include <cotdyn/interaction/activation.hpp>
#include <cotdyn/interaction/rademacher_exact.hpp>

using namespace cotdyn::interaction;

namespace {
struct Reference {
  Activation a;
  double b;
  int r;
  double t16, t64, local_slope;
};
// INTERACTION.md "Reference values" (exact Rademacher closed form, a = v = 1).
const Reference table[] = {
    {Activation::tanh, 0.5, 1, 4.813629e-02, 1.222011e-02, -0.9995},
    {Activation::tanh, 0.5, 2, -2.479568e-03, -1.704724e-04, -1.9962},
    {Activation::tanh, 0.5, 3, -1.496535e-04, -2.234621e-06, -3.0039},
    {Activation::tanh, 0.5, 4, 4.870598e-05, 2.202641e-07, -3.9936},
    {Activation::gelu, 0.0, 2, 2.963001e-03, 1.919270e-04, -1.9986},
    {Activation::gelu, 0.0, 4, -2.196055e-05, -9.205449e-08, -3.9969},
    {Activation::relu, 0.0, 2, 6.546021e-03, 7.884663e-04, -1.5011},
};
double delta(const Reference& ref, int T) { return rademacher_exact(ref.a, ref.b, 1.0, ref.r, T).delta; }
}  // namespace

TEST_CASE("reference table of INTERACTION.md: T = 16 and T = 64 values to 1e-6 relative") {
  for (const Reference& ref : table) {
    INFO(activation_name(ref.a), " b=", ref.b, " r=", ref.r);
    // The table has 7 significant digits: 1e-6 relative is the tolerance it can support.
    CHECK(delta(ref, 16) == doctest::Approx(ref.t16).epsilon(1e-6));
    CHECK(delta(ref, 64) == doctest::Approx(ref.t64).epsilon(1e-6));
  }
}

TEST_CASE("reference table of INTERACTION.md: local slopes 512 -> 1024 to 1e-4 absolute") {
  for (const Reference& ref : table) {
    INFO(activation_name(ref.a), " b=", ref.b, " r=", ref.r);
    const double slope = std::log2(std::abs(delta(ref, 1024) / delta(ref, 512)));
    CHECK(std::abs(slope - ref.local_slope) <= 1e-4);
  }
}

TEST_CASE("derivatives at b from autodiff match INTERACTION.md") {
  const auto tanh_d = activation_derivatives(Activation::tanh, 0.5, 4);
  const double tanh_ref[] = {0.786, -0.727, -0.565, 3.952};
  for (int k = 1; k <= 4; ++k) CHECK(std::abs(tanh_d[k] - tanh_ref[k - 1]) < 1e-3);
  const auto gelu_d = activation_derivatives(Activation::gelu, 0.0, 4);
  const double gelu_ref[] = {0.5, 0.798, 0.0, -1.596};
  for (int k = 1; k <= 4; ++k) CHECK(std::abs(gelu_d[k] - gelu_ref[k - 1]) < 1e-3);
}

TEST_CASE("ReLU kink convention ReLU'(0) = 0: odd r >= 3 not zero when the kink is reachable (even T)") {
  const double d3 = rademacher_exact(Activation::relu, 0.0, 1.0, 3, 16).delta;
  const double d4 = rademacher_exact(Activation::relu, 0.0, 1.0, 4, 16).delta;
  CHECK(d3 == doctest::Approx(5.04e-4).epsilon(1e-3));
  CHECK(d4 == doctest::Approx(-d3).epsilon(1e-12));
  CHECK(std::abs(rademacher_exact(Activation::relu, 0.0, 1.0, 3, 15).delta) < 1e-15);  // odd T: kink unreachable
  CHECK(activation_slope(Activation::relu, 0.0) == 0.0);
}

TEST_CASE("T = r convention: Delta, gradient norm and G are 0 and the cell is marked") {
  for (Activation a : all_activations()) {
    const ExactSignal s = rademacher_exact(a, 0.3, 1.0, 4, 4);
    CHECK(s.t_equals_r);
    CHECK(s.delta == 0.0);
    CHECK(s.grad_norm == 0.0);
    CHECK(s.g_in == 0.0);
    CHECK(s.g_out == 0.0);
    CHECK_FALSE(rademacher_exact(a, 0.3, 1.0, 3, 4).t_equals_r);
  }
}
