#include <cotdyn/interaction/rademacher_exact.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/math/differentiation/autodiff.hpp>
#include <boost/multiprecision/cpp_bin_float.hpp>

namespace cotdyn::interaction {

namespace {

namespace mp = boost::multiprecision;
template <unsigned Digits>
using Float = mp::number<mp::cpp_bin_float<Digits>, mp::et_off>;

// C(n, m) 2^{-n} for m = 0..n, by the ratio recursion outward from the centre and normalised to sum 1, so that
// nothing overflows or underflows before the tails become negligible.
template <class Real>
std::vector<Real> binomial_weights(int n) {
  std::vector<Real> w(n + 1);
  const int c = n / 2;
  w[c] = 1;
  for (int m = c; m < n; ++m) w[m + 1] = w[m] * Real(n - m) / Real(m + 1);
  for (int m = c; m > 0; --m) w[m - 1] = w[m] * Real(m) / Real(n - m + 1);
  Real total = 0;
  for (const Real& x : w) total += x;
  for (Real& x : w) x /= total;
  return w;
}

template <class Real>
Real delta_sum(Activation a, double b_in, double v_in, int r, int T) {
  const Real b = b_in, v = v_in;
  // sigma'(b + v (2k - T) / T) for k = 0..T: every argument the sum needs (k = m + u - i).
  std::vector<Real> slope(T + 1);
  for (int k = 0; k <= T; ++k) {
    const auto x = boost::math::differentiation::make_fvar<Real, 1>(b + v * Real(2 * k - T) / Real(T));
    slope[k] = activation_value(a, x).derivative(1);
  }
  auto h = [&](int u) -> Real {
    if (u > T) return Real(0);
    const std::vector<Real> p = binomial_weights<Real>(T - u);  // law of the number m of +1 among T - u tokens
    const std::vector<Real> c = binomial_weights<Real>(u);      // C(u, i) 2^{-u}
    Real sum = 0;
    for (int m = 0; m <= T - u; ++m) {
      Real difference = 0;
      for (int i = 0; i <= u; ++i) difference += ((i % 2) ? -c[i] : c[i]) * slope[m + u - i];
      sum += p[m] * difference;
    }
    return sum;
  };
  return v / Real(T) * (h(r - 1) - h(r + 1));
}

double cancelled_digits(int r, int T, double v) { return r * std::log10(std::max(2.0 * T / v, 1.0)); }

}  // namespace

int exact_sum_precision_digits(int r, int T, double v) {
  const double lost = cancelled_digits(r, T, v);
  if (lost <= 4 * std::log10(2048.0) + 1e-9) return 15;
  const double need = 20 + lost;
  if (need <= 50) return 50;
  if (need <= 100) return 100;
  if (need <= 200) return 200;
  throw std::invalid_argument("interaction.r = " + std::to_string(r) + " with T = " + std::to_string(T) +
                              " needs more than 200 significant digits for the exact sum; lower r or T");
}

ExactSignal rademacher_exact(Activation a, double b, double v, int r, int T) {
  if (r < 1) throw std::invalid_argument("interaction.r = " + std::to_string(r) + " is invalid: r must be >= 1");
  if (T < 1) throw std::invalid_argument("interaction.T = " + std::to_string(T) + " is invalid: T must be >= 1");
  if (r > T)
    throw std::invalid_argument("interaction.r = " + std::to_string(r) + " is invalid: r must be <= T = " +
                                std::to_string(T));
  if (!(v > 0) || !std::isfinite(v) || !std::isfinite(b))
    throw std::invalid_argument("interaction.v = " + std::to_string(v) + " is invalid: v must be finite and > 0");
  ExactSignal s;
  s.precision_digits = exact_sum_precision_digits(r, T, v);
  if (T == r) {  // INTERACTION.md: G_out undefined, gradient exactly 0; report Delta = 0 and mark the cell
    s.t_equals_r = true;
    return s;
  }
  switch (s.precision_digits) {
    case 15: s.delta = delta_sum<double>(a, b, v, r, T); break;
    case 50: s.delta = static_cast<double>(delta_sum<Float<50>>(a, b, v, r, T)); break;
    case 100: s.delta = static_cast<double>(delta_sum<Float<100>>(a, b, v, r, T)); break;
    default: s.delta = static_cast<double>(delta_sum<Float<200>>(a, b, v, r, T)); break;
  }
  s.g_in = (1.0 - double(r) / T) * s.delta;
  s.g_out = -(double(r) / T) * s.delta;
  s.grad_norm = std::abs(s.delta) * std::sqrt(double(r) * (T - r) / T);
  return s;
}

}  // namespace cotdyn::interaction
