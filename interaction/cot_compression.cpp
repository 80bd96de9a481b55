#include <cotdyn/interaction/cot_compression.hpp>

#include <cmath>
#include <stdexcept>
#include <string>

#include <boost/math/distributions/binomial.hpp>

#include <cotdyn/interaction/rademacher_exact.hpp>
#include <cotdyn/interaction/taylor.hpp>

namespace cotdyn::interaction {

double rademacher_gradient_second_moment(Activation a, double b, double v, int T) {
  // df/dw_j = sigma'(b + z) (v x_j - z) / T with z = v (x_j + 2m - (T - 1)) / T, m ~ Binomial(T - 1, 1/2).
  const boost::math::binomial_distribution<double> others(T - 1, 0.5);
  double moment = 0;
  for (int xj : {-1, 1})
    for (int m = 0; m <= T - 1; ++m) {
      const double z = v * (xj + 2.0 * m - (T - 1)) / T;
      const double g = activation_slope(a, b + z) * (v * xj - z) / T;
      moment += 0.5 * boost::math::pdf(others, m) * g * g;
    }
  return moment;
}

std::vector<CompressionRow> cot_compression_table(Activation a, double b, double v, int T, int max_levels) {
  if (max_levels < 0 || max_levels > 3)
    throw std::invalid_argument("cot compression: max_levels = " + std::to_string(max_levels) + " must be in 0..3");
  const int r_max = 1 << (max_levels + 1);
  if (T < r_max)
    throw std::invalid_argument("interaction.T = " + std::to_string(T) + " is invalid: the compression table needs T >= " +
                                std::to_string(r_max));
  const double second_moment = rademacher_gradient_second_moment(a, b, v, T);
  const std::vector<double> d = activation_derivatives(a, b, max_derivative_order);
  std::vector<CompressionRow> table;
  for (int k = 0; k <= max_levels; ++k) {
    CompressionRow row;
    row.levels_compressed = k;
    row.order = 1 << (k + 1);
    const ExactSignal exact = rademacher_exact(a, b, v, row.order, T);
    row.delta_exact = exact.delta;
    row.precision_digits = exact.precision_digits;
    row.delta_taylor = taylor_delta(a, b, v, row.order, T);
    row.g_in = exact.g_in;
    row.sample_complexity = (second_moment - row.g_in * row.g_in) / (row.g_in * row.g_in);
    row.sample_complexity_scaling = std::pow(d[1] / d[row.order], 2) * std::pow(T / v, 2 * row.order - 2);
    table.push_back(row);
  }
  return table;
}

}  // namespace cotdyn::interaction
