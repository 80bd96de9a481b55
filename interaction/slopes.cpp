#include <cotdyn/interaction/slopes.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace cotdyn::interaction {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

struct Fit {
  double slope = nan, stderr_slope = nan;
};

// Ordinary least-squares slope of y on x. Without sigma: standard error from the residuals (n - 2 degrees of
// freedom; 0 for n = 2). With sigma (standard deviations of the y_i): the propagated error
// sqrt(sum_i c_i^2 sigma_i^2), c_i = (x_i - xbar) / Sxx, so exact and measured slopes are the same estimator.
Fit least_squares(const std::vector<double>& x, const std::vector<double>& y, const std::vector<double>* sigma) {
  Fit fit;
  const std::size_t n = x.size();
  if (n < 2) return fit;
  double xbar = 0, ybar = 0;
  for (std::size_t i = 0; i < n; ++i) xbar += x[i] / double(n), ybar += y[i] / double(n);
  double sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < n; ++i) sxx += (x[i] - xbar) * (x[i] - xbar), sxy += (x[i] - xbar) * (y[i] - ybar);
  if (!(sxx > 0)) return fit;
  fit.slope = sxy / sxx;
  double variance = 0;
  if (sigma) {
    for (std::size_t i = 0; i < n; ++i) variance += std::pow((x[i] - xbar) / sxx * (*sigma)[i], 2);
  } else if (n > 2) {
    for (std::size_t i = 0; i < n; ++i) variance += std::pow(y[i] - ybar - fit.slope * (x[i] - xbar), 2);
    variance /= double(n - 2) * sxx;
  }
  fit.stderr_slope = std::sqrt(variance);
  return fit;
}

}  // namespace

std::vector<SlopeRow> fit_slopes(const std::vector<InteractionRow>& rows, const ValueScale& v) {
  std::vector<SlopeRow> out;
  std::vector<bool> used(rows.size(), false);
  for (std::size_t first = 0; first < rows.size(); ++first) {
    if (used[first]) continue;
    const InteractionRow& key = rows[first];
    std::vector<const InteractionRow*> group;
    for (std::size_t i = first; i < rows.size(); ++i) {
      const InteractionRow& row = rows[i];
      if (!used[i] && row.activation == key.activation && row.b == key.b && row.tokens == key.tokens &&
          row.r == key.r) {
        used[i] = true;
        group.push_back(&row);
      }
    }
    std::sort(group.begin(), group.end(), [](const auto* p, const auto* q) { return p->T < q->T; });

    SlopeRow s;
    s.activation = key.activation;
    s.b = key.b;
    s.v = v.label();
    s.tokens = key.tokens;
    s.r = key.r;
    std::vector<double> x, y, w;  // w: standard deviations of y (measured fit only)
    for (const auto* row : group)
      if (!row->t_equals_r && std::abs(row->delta_exact) >= ratio_floor) {
        x.push_back(std::log(double(row->T)));
        y.push_back(std::log(std::abs(row->delta_exact)));
      }
    s.n_exact = int(x.size());
    const Fit exact = least_squares(x, y, nullptr);
    s.slope_exact = exact.slope;
    s.slope_exact_stderr = exact.stderr_slope;
    s.slope_local_exact = x.size() >= 2 ? (y.back() - y[y.size() - 2]) / (x.back() - x[x.size() - 2]) : nan;

    x.clear(), y.clear(), w.clear();
    for (const auto* row : group)
      if (!row->t_equals_r && std::isfinite(row->delta_measured) && std::isfinite(row->std_error) &&
          row->std_error > 0 && std::abs(row->delta_measured) > 2 * row->std_error &&
          std::abs(row->delta_measured) >= ratio_floor) {  // below: rounding noise of a symmetry zero
        x.push_back(std::log(double(row->T)));
        y.push_back(std::log(std::abs(row->delta_measured)));
        w.push_back(row->std_error / std::abs(row->delta_measured));  // sd of log|delta| (delta method)
      }
    s.n_measured = int(x.size());
    const Fit measured = least_squares(x, y, &w);
    s.slope_measured = measured.slope;
    s.slope_measured_stderr = measured.stderr_slope;
    out.push_back(s);
  }
  return out;
}

}  // namespace cotdyn::interaction
