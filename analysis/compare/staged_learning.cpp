#include <cotdyn/analysis/compare/staged_learning.hpp>

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include <cotdyn/analysis/compare/crossings.hpp>

namespace cotdyn::compare {

namespace {
double value_at(const std::vector<double>& t, const std::vector<double>& y, double at) {
  if (at <= t.front()) return y.front();
  for (std::size_t i = 0; i + 1 < t.size(); ++i)
    if (at <= t[i + 1]) return y[i] + (y[i + 1] - y[i]) * (at - t[i]) / (t[i + 1] - t[i]);
  return y.back();
}
std::string yes_no(bool b) { return b ? "yes" : "NO"; }
}  // namespace

StageCheck check_stages(const std::vector<double>& t, const std::vector<double>& alpha, const std::vector<double>& R,
                        const std::vector<double>& Q) {
  StageCheck check;
  StageTimes& s = check.times;
  const auto peak = std::max_element(Q.begin(), Q.end());
  s.offtarget_max = *peak;
  s.offtarget_peak = t[peak - Q.begin()];
  s.offtarget_final = Q.back();
  s.offtarget_rise = first_crossing(t, Q, 0.5 * s.offtarget_max);
  s.lock_on = first_crossing(t, alpha, 0.5);
  check.locks_on = std::isfinite(s.lock_on);
  if (check.locks_on) {
    const double half = s.lock_on / 2, after = std::min(1.5 * s.lock_on, t.back());
    s.alignment_slope_before = (value_at(t, R, s.lock_on) - value_at(t, R, half)) / (s.lock_on - half);
    s.alignment_slope_after =
        after > s.lock_on ? (value_at(t, R, after) - value_at(t, R, s.lock_on)) / (after - s.lock_on) : NAN;
    check.heuristic_first = s.offtarget_rise < s.lock_on;
    check.peak_near_lock_on = std::abs(s.offtarget_peak - s.lock_on) <= 0.15 * s.lock_on;
    check.alignment_accelerates = s.alignment_slope_after > s.alignment_slope_before;
  }
  check.heuristic_decays = s.offtarget_final < 0.98 * s.offtarget_max && s.offtarget_peak < t.back();
  return check;
}

std::string StageCheck::summary() const {
  const StageTimes& s = times;
  std::string out;
  out += fmt::format("- heuristic first: Q reaches half its peak at t = {:.2f}, before lock-on: {}\n",
                     s.offtarget_rise, yes_no(heuristic_first));
  out += fmt::format("- Q peaks at t = {:.2f} (Q = {:.3f}), within 15 % of t_1/2: {}\n", s.offtarget_peak,
                     s.offtarget_max, yes_no(peak_near_lock_on));
  out += fmt::format("- attention locks on (alpha = 1/2) at t = {:.2f}: {}\n", s.lock_on, yes_no(locks_on));
  out += fmt::format("- R grows faster after lock-on ({:.4f} per unit t) than before ({:.4f}): {}\n",
                     s.alignment_slope_after, s.alignment_slope_before, yes_no(alignment_accelerates));
  out += fmt::format("- Q falls after its peak (to {:.3f} at the end): {}\n", s.offtarget_final,
                     yes_no(heuristic_decays));
  return out;
}

}  // namespace cotdyn::compare
