#include <cotdyn/interaction/gaussian.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include <boost/math/constants/constants.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/math/special_functions/hermite.hpp>

namespace cotdyn::interaction {

namespace {

using Quadrature = boost::math::quadrature::gauss_kronrod<double, 61>;
// The Gaussian integrals run over |g| <= 40 (the standard normal density underflows to 0 beyond): finite limits
// keep unbounded activations (exp, x^3) and their autodiff derivatives away from inf * 0.
constexpr double g_max = 40.0;

double standard_normal_density(double g) { return std::exp(-0.5 * g * g) / boost::math::constants::root_two_pi<double>(); }

void check(int r, int T) {
  if (r < 1) throw std::invalid_argument("interaction.r = " + std::to_string(r) + " is invalid: r must be >= 1");
  if (T < 1) throw std::invalid_argument("interaction.T = " + std::to_string(T) + " is invalid: T must be >= 1");
  if (r > T)
    throw std::invalid_argument("interaction.r = " + std::to_string(r) + " is invalid: r must be <= T = " +
                                std::to_string(T));
}

}  // namespace

double hermite_he(int n, double x) {
  return std::pow(2.0, -0.5 * n) * boost::math::hermite(static_cast<unsigned>(n), x / boost::math::constants::root_two<double>());
}

double relu_gaussian_delta(double b, double v, int r, int T) {
  check(r, T);
  if (r == T) return 0.0;
  const double kappa = v / std::sqrt(double(T)), beta = b / kappa;
  const boost::math::normal_distribution<double> normal;
  const double moment = r == 1 ? kappa * boost::math::cdf(normal, beta)
                               : kappa * boost::math::pdf(normal, beta) * hermite_he(r - 2, -beta);
  return std::pow(double(T), -0.5 * r) * moment;
}

double gaussian_delta(Activation a, double b, double v, int r, int T) {
  check(r, T);
  if (r == T) return 0.0;
  if (!is_smooth(a)) return relu_gaussian_delta(b, v, r, T);
  if (r > max_derivative_order)
    throw std::invalid_argument("interaction.r = " + std::to_string(r) + " is invalid: at most 20 for the Gaussian form");
  const double sd = v / std::sqrt(double(T));
  auto integrand = [&](double g) { return activation_derivatives(a, b + sd * g, r)[r] * standard_normal_density(g); };
  const double mean_derivative = Quadrature::integrate(integrand, -g_max, g_max, 15, 1e-14);
  return std::pow(v / T, r) * mean_derivative;
}

double gaussian_delta_hermite(Activation a, double b, double v, int r, int T) {
  check(r, T);
  if (r == T) return 0.0;
  const double kappa = v / std::sqrt(double(T));
  auto integrand = [&](double g) {
    return activation_value(a, b + kappa * g) * hermite_he(r, g) * standard_normal_density(g);
  };
  // Split where b + kappa g = 0 (the kink of ReLU; a harmless split point otherwise).
  const double kink = std::clamp(-b / kappa, -g_max, g_max);
  const double moment = Quadrature::integrate(integrand, -g_max, kink, 15, 1e-14) +
                        Quadrature::integrate(integrand, kink, g_max, 15, 1e-14);
  return std::pow(double(T), -0.5 * r) * moment;
}

}  // namespace cotdyn::interaction
