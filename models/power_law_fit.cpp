#include <cotdyn/models/power_law_fit.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace cotdyn::models {

PowerLawFit fit_power_law(const std::vector<double>& d, const std::vector<double>& error) {
  if (d.size() != error.size() || d.size() < 2)
    throw std::invalid_argument("a power-law fit needs at least two (d, error) points");
  const double n = static_cast<double>(d.size());
  double sx = 0, sy = 0;
  for (std::size_t i = 0; i < d.size(); ++i) {
    sx += std::log(d[i]) / n;
    sy += std::log(error[i]) / n;
  }
  double sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < d.size(); ++i) {
    sxx += (std::log(d[i]) - sx) * (std::log(d[i]) - sx);
    sxy += (std::log(d[i]) - sx) * (std::log(error[i]) - sy);
  }
  PowerLawFit fit;
  fit.exponent = sxy / sxx;
  fit.prefactor = std::exp(sy - fit.exponent * sx);
  fit.exponent_stderr = std::numeric_limits<double>::quiet_NaN();
  if (d.size() > 2) {
    double residual = 0;
    for (std::size_t i = 0; i < d.size(); ++i) {
      const double r = std::log(error[i]) - (sy + fit.exponent * (std::log(d[i]) - sx));
      residual += r * r;
    }
    fit.exponent_stderr = std::sqrt(residual / (n - 2) / sxx);
  }
  return fit;
}

}  // namespace cotdyn::models
