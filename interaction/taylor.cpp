#include <cotdyn/interaction/taylor.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace cotdyn::interaction {

double taylor_delta(Activation a, double b, double v, int r, int T) {
  if (r < 1 || r + 2 > max_derivative_order)
    throw std::invalid_argument("interaction.r = " + std::to_string(r) + " is invalid for the Taylor form: 1..18");
  if (a == Activation::relu && b == 0.0) return std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> d = activation_derivatives(a, b, r + 2);
  return std::pow(v / T, r) * (d[r] + v * v * d[r + 2] / (2.0 * T));
}

}  // namespace cotdyn::interaction
