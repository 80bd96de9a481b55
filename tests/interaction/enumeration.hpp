#pragma once
// Test oracle: G_j = E[y df/dw_j] at w = 0 by exact enumeration of all 2^T Rademacher inputs, straight from the
// definitions of INTERACTION.md (df/dw_j = sigma'(b + z) alpha_j (v x_j - z), alpha_j = 1/T), in long double.
#include <functional>
#include <vector>

#include <boost/math/differentiation/autodiff.hpp>

#include <cotdyn/interaction/activation.hpp>

namespace cotdyn::interaction::testing {

// y(x) with x[i] in {-1, +1}, i = 0..T-1.
using Target = std::function<long double(const std::vector<int>&)>;

inline std::vector<long double> enumerate_gradient(Activation a, long double b, long double v, int T,
                                                   const Target& y) {
  std::vector<long double> G(T, 0.0L);
  std::vector<int> x(T);
  const unsigned long n = 1ul << T;
  for (unsigned long mask = 0; mask < n; ++mask) {
    long double z = 0;
    for (int i = 0; i < T; ++i) {
      x[i] = (mask >> i) & 1ul ? 1 : -1;
      z += x[i];
    }
    z *= v / T;
    const auto slope = activation_value(a, boost::math::differentiation::make_fvar<long double, 1>(b + z)).derivative(1);
    const long double target = y(x);
    for (int j = 0; j < T; ++j) G[j] += target * slope * (v * x[j] - z) / T;
  }
  for (auto& g : G) g /= n;
  return G;
}

inline Target parity_of_first(int r) {
  return [r](const std::vector<int>& x) {
    long double p = 1;
    for (int i = 0; i < r; ++i) p *= x[i];
    return p;
  };
}

}  // namespace cotdyn::interaction::testing
