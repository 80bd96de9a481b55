#include <doctest/doctest.h>

#include <cmath>

#include <boost/math/constants/constants.hpp>

#include <cotdyn/interaction/gaussian.hpp>
#include <cotdyn/interaction/rademacher_exact.hpp>
#include <cotdyn/interaction/taylor.hpp>

using namespace cotdyn::interaction;

namespace {
// |a - b| <= rel |b| + abs
bool close(double a, double b, double rel, double abs) { return std::abs(a - b) <= rel * std::abs(b) + abs; }
}  // namespace

TEST_CASE("ReLU Gaussian closed form at b = 0: Delta_1 = v/(2T), Delta_r = v T^{-(r+1)/2} He_{r-2}(0)/sqrt(2 pi)") {
  const double root_two_pi = boost::math::constants::root_two_pi<double>();
  for (double v : {1.0, 2.0})
    for (int T : {8, 64}) {
      CHECK(relu_gaussian_delta(0.0, v, 1, T) == doctest::Approx(v / (2.0 * T)).epsilon(1e-14));
      CHECK(relu_gaussian_delta(0.0, v, 2, T) == doctest::Approx(v * std::pow(T, -1.5) / root_two_pi).epsilon(1e-14));
      CHECK(std::abs(relu_gaussian_delta(0.0, v, 3, T)) < 1e-18);  // He_1(0) = 0
      CHECK(relu_gaussian_delta(0.0, v, 4, T) == doctest::Approx(-v * std::pow(T, -2.5) / root_two_pi).epsilon(1e-14));
    }
}

TEST_CASE("ReLU Gaussian closed form equals the Hermite-form quadrature, any b") {
  for (double b : {0.0, 0.3, -0.7})
    for (int T : {4, 16, 64})
      for (int r = 1; r <= 4; ++r) {
        INFO("b=", b, " T=", T, " r=", r);
        const double closed = relu_gaussian_delta(b, 1.0, r, T);
        CHECK(close(gaussian_delta_hermite(Activation::relu, b, 1.0, r, T), closed, 1e-9, 1e-15));
      }
}

TEST_CASE("Gaussian Stein form equals the Hermite form for smooth activations") {
  for (Activation a : {Activation::tanh, Activation::gelu, Activation::silu, Activation::softplus, Activation::exp})
    for (double b : {0.0, 0.5})
      for (int T : {4, 16, 64})
        for (int r = 1; r <= 4; ++r) {
          INFO(activation_name(a), " b=", b, " T=", T, " r=", r);
          const double stein = gaussian_delta(a, b, 1.0, r, T);
          const double hermite = gaussian_delta_hermite(a, b, 1.0, r, T);
          CHECK(close(stein, hermite, 1e-8, 1e-13));
        }
}

TEST_CASE("Gaussian form for exp has the closed value (v/T)^r exp(b + v^2/(2T))") {
  for (int r : {1, 4, 8})
    for (int T : {16, 64})
      CHECK(gaussian_delta(Activation::exp, 0.2, 1.0, r, T) ==
            doctest::Approx(std::pow(1.0 / T, r) * std::exp(0.2 + 0.5 / T)).epsilon(1e-12));
}

TEST_CASE("Taylor form: the exact signal approaches it with an O(T^-2) relative error") {
  for (int r = 1; r <= 4; ++r) {
    double previous = 0;
    for (int T : {128, 256, 512}) {
      const double exact = rademacher_exact(Activation::tanh, 0.5, 1.0, r, T).delta;
      const double relative = std::abs(taylor_delta(Activation::tanh, 0.5, 1.0, r, T) / exact - 1.0);
      if (previous > 0) CHECK(relative < 0.3 * previous);  // about 1/4 per doubling of T
      previous = relative;
    }
    CHECK(previous < 1e-3);
  }
  CHECK(std::isnan(taylor_delta(Activation::relu, 0.0, 1.0, 2, 16)));
}

TEST_CASE("Pre-activation normalised v = sqrt(T): the signal scales as T^{-r/2}") {
  for (int r = 1; r <= 4; ++r) {
    const double d1 = gaussian_delta(Activation::tanh, 0.5, std::sqrt(1024.0), r, 1024);
    const double d2 = gaussian_delta(Activation::tanh, 0.5, std::sqrt(4096.0), r, 4096);
    CHECK(std::log(std::abs(d2 / d1)) / std::log(4.0) == doctest::Approx(-0.5 * r).epsilon(1e-9));
  }
}
