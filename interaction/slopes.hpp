#pragma once
// Log-log slopes of |Delta_r| against T, per (activation, b, tokens, r) group of interaction rows.
//
// Columns of slopes.csv (NaN = empty cell), in this order:
//   activation,b,v,tokens,r,n_exact,slope_exact,slope_exact_stderr,slope_local_exact,
//   n_measured,slope_measured,slope_measured_stderr
// - v: the value-scale label ("1", "sqrt_T", ...).
// - n_exact: number of T points used for the exact fit: cells with T = r and cells with |delta_exact| < 1e-14
//   (symmetry zeros) are left out; fewer than 2 points gives NaN slopes.
// - slope_exact: least-squares slope of log|delta_exact| on log T. slope_exact_stderr: its standard error from
//   the fit residuals (n - 2 degrees of freedom; 0 for n = 2); it measures how far the finite-T values are from
//   a pure power law, not noise.
// - slope_local_exact: log|Delta(T_n) / Delta(T_{n-1})| / log(T_n / T_{n-1}) over the two largest T used.
// - n_measured: cells with a measurement resolved from zero (|delta_measured| > 2 stderr and >= 1e-14) and T != r.
//   The floor matters for symmetry zeros: antithetic pairs cancel there to rounding noise (~1e-19) whose spread
//   is smaller still, so "> 2 stderr" alone would fit a slope to noise.
// - slope_measured: the same ordinary least-squares slope, of log|delta_measured| on log T (so it is directly
//   comparable with slope_exact over the same T points); slope_measured_stderr propagates the standard deviations
//   stderr/|delta_measured| of the points (delta method): sqrt(sum_i c_i^2 sd_i^2), c_i = (x_i - xbar)/Sxx.
#include <string>
#include <vector>

#include <cotdyn/interaction/prediction.hpp>
#include <cotdyn/interaction/settings.hpp>

namespace cotdyn::interaction {

struct SlopeRow {
  std::string activation;
  double b = 0;
  std::string v;
  std::string tokens;
  int r = 1;
  int n_exact = 0;
  double slope_exact = 0, slope_exact_stderr = 0, slope_local_exact = 0;
  int n_measured = 0;
  double slope_measured = 0, slope_measured_stderr = 0;
};

// Groups in first-appearance order of the rows; within a group the rows are taken in increasing T.
std::vector<SlopeRow> fit_slopes(const std::vector<InteractionRow>& rows, const ValueScale& v);

}  // namespace cotdyn::interaction
