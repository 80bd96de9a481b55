#include <cotdyn/meanfield/committee/gaussian_averages.hpp>

#include <algorithm>
#include <cmath>

namespace cotdyn::meanfield::committee {

namespace {

constexpr double pi = 3.141592653589793238462643383279502884;

// arcsin with its argument clipped to [-1, 1]: degenerate covariances give +-1 up to rounding.
double clipped_asin(double x) { return std::asin(std::clamp(x, -1.0, 1.0)); }

}  // namespace

double activation(Activation g, double x) { return g == Activation::erf ? std::erf(x / std::sqrt(2.0)) : x; }

double activation_derivative(Activation g, double x) {
  return g == Activation::erf ? std::sqrt(2.0 / pi) * std::exp(-0.5 * x * x) : 1.0;
}

// Closed forms for erf: docs/models/committee.md §4.2; linear: §4.3.
double I2(Activation g, const Eigen::Matrix2d& C) {
  if (g == Activation::linear) return C(0, 1);
  return (2 / pi) * clipped_asin(C(0, 1) / std::sqrt((1 + C(0, 0)) * (1 + C(1, 1))));
}

double I3(Activation g, const Eigen::Matrix3d& C) {
  if (g == Activation::linear) return C(1, 2);
  const double lambda3 = (1 + C(0, 0)) * (1 + C(2, 2)) - C(0, 2) * C(0, 2);
  return (2 / pi) / std::sqrt(lambda3) * (C(1, 2) * (1 + C(0, 0)) - C(0, 1) * C(0, 2)) / (1 + C(0, 0));
}

double I4(Activation g, const Eigen::Matrix4d& C) {
  if (g == Activation::linear) return C(2, 3);
  const double c11 = 1 + C(0, 0), c22 = 1 + C(1, 1), c12 = C(0, 1);
  const double lambda4 = c11 * c22 - c12 * c12;
  // Lambda_a = det of (I + C) restricted to the fields 1, 2, a (a = 3, 4), Lambda_0 its 3-4 cofactor.
  auto lambda = [&](int a, int b) {
    return lambda4 * (C(a, b) + (a == b ? 1.0 : 0.0)) - C(1, a) * C(1, b) * c11 - C(0, a) * C(0, b) * c22 +
           c12 * (C(0, a) * C(1, b) + C(0, b) * C(1, a));
  };
  const double lambda0 = lambda(2, 3), lambda1 = lambda(2, 2), lambda2 = lambda(3, 3);
  return (4 / (pi * pi)) / std::sqrt(lambda4) * clipped_asin(lambda0 / std::sqrt(lambda1 * lambda2));
}

double J2(Activation g, const Eigen::Matrix2d& C) {
  if (g == Activation::linear) return 1.0;
  return (2 / pi) / std::sqrt((1 + C(0, 0)) * (1 + C(1, 1)) - C(0, 1) * C(0, 1));
}

}  // namespace cotdyn::meanfield::committee
