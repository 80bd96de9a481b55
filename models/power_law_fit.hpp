#pragma once
// The finite-size fit of a discrepancy: error = c * size^exponent by least squares in log-log, the
// rule of every comparison (compare's finite_size_fit.csv, a model's own pooled discrepancies).
#include <string>
#include <vector>

namespace cotdyn::models {

// Least-squares fit of log(error) = log(c) + exponent log(d), with the slope's standard error
// (NaN with fewer than three points).
struct PowerLawFit {
  std::string quantity;
  double exponent = 0;
  double exponent_stderr = 0;
  double prefactor = 0;
};
// std::invalid_argument unless d and error have the same length, at least two.
PowerLawFit fit_power_law(const std::vector<double>& d, const std::vector<double>& error);

}  // namespace cotdyn::models
