#include "interaction/slopes.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cotdyn::interaction {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

struct Fit {
  double slope = nan, stderr_slope = nan;
};

// Weighted least squares of y on x with weights w (w = 1: ordinary). `known_sigma`: standard error from the
// weights (measurement errors); otherwise from the residuals.
Fit least_squares(const std::vector<double>& x, const std::vector<double>& y, const std::vector<double>& w,
                  bool known_sigma) {
  Fit fit;
  const std::size_t n = x.size();
  if (n < 2) return fit;
  double sw = 0, sx = 0, sy = 0;
  for (std::size_t i = 0; i < n; ++i) sw += w[i], sx += w[i] * x[i], sy += w[i] * y[i];
  const double xbar = sx / sw, ybar = sy / sw;
  double sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < n; ++i) sxx += w[i] * (x[i] - xbar) * (x[i] - xbar), sxy += w[i] * (x[i] - xbar) * (y[i] - ybar);
  if (!(sxx > 0)) return fit;
  fit.slope = sxy / sxx;
  if (known_sigma) {
    fit.stderr_slope = 1.0 / std::sqrt(sxx);
  } else if (n == 2) {
    fit.stderr_slope = 0.0;
  } else {
    double rss = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double e = y[i] - ybar - fit.slope * (x[i] - xbar);
      rss += w[i] * e * e;
    }
    fit.stderr_slope = std::sqrt(rss / double(n - 2) / sxx);
  }
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
    std::vector<double> x, y, w;
    for (const auto* row : group)
      if (!row->t_equals_r && std::abs(row->delta_exact) >= ratio_floor) {
        x.push_back(std::log(double(row->T)));
        y.push_back(std::log(std::abs(row->delta_exact)));
        w.push_back(1.0);
      }
    s.n_exact = int(x.size());
    const Fit exact = least_squares(x, y, w, false);
    s.slope_exact = exact.slope;
    s.slope_exact_stderr = exact.stderr_slope;
    s.slope_local_exact = x.size() >= 2 ? (y.back() - y[y.size() - 2]) / (x.back() - x[x.size() - 2]) : nan;

    x.clear(), y.clear(), w.clear();
    for (const auto* row : group)
      if (!row->t_equals_r && std::isfinite(row->delta_measured) && std::isfinite(row->std_error) &&
          row->std_error > 0 && std::abs(row->delta_measured) > 2 * row->std_error) {
        const double sigma_log = row->std_error / std::abs(row->delta_measured);
        x.push_back(std::log(double(row->T)));
        y.push_back(std::log(std::abs(row->delta_measured)));
        w.push_back(1.0 / (sigma_log * sigma_log));
      }
    s.n_measured = int(x.size());
    const Fit measured = least_squares(x, y, w, true);
    s.slope_measured = measured.slope;
    s.slope_measured_stderr = measured.stderr_slope;
    out.push_back(s);
  }
  return out;
}

}  // namespace cotdyn::interaction
