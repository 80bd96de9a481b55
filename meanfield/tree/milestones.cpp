#include <cotdyn/meanfield/tree/milestones.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace cotdyn::meanfield::tree {

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// First n >= 1 with below(y[n-1]) and !below(y[n]), interpolated linearly to `level`.
template <class Below>
double first_crossing(const std::vector<double>& t, const std::vector<double>& y, double level, Below below) {
  if (t.size() != y.size()) throw std::invalid_argument("crossing: times and values differ in length");
  for (std::size_t n = 1; n < y.size(); ++n)
    if (below(y[n - 1]) && !below(y[n])) return t[n - 1] + (level - y[n - 1]) / (y[n] - y[n - 1]) * (t[n] - t[n - 1]);
  return nan;
}

std::vector<double> series_max(const SeriesLookup& column, std::size_t size, const char* suffix, int H) {
  std::vector<double> out(size, -INFINITY);
  for (int h = 0; h < H; ++h) {
    const auto& c = column(head_column(h, suffix));
    for (std::size_t n = 0; n < out.size(); ++n) out[n] = std::max(out[n], c[n]);
  }
  return out;
}
}  // namespace

// docs/models/tree.md §6.1: margins and the tie-aware credit.
Accuracy accuracy(const CanonicalSample& sample, const Eigen::MatrixXd& logits) {
  Accuracy acc;
  const int Q = sample.queries();
  acc.exact_match = true;
  for (int q = 0; q < Q; ++q) {
    const int target = sample.target[q];
    const double z_target = logits(q, target);
    double best_other = -INFINITY;
    int ties = 0;
    for (int y = 0; y < logits.cols(); ++y) {
      if (y != target) best_other = std::max(best_other, logits(q, y));
      ties += std::abs(logits(q, y) - z_target) <= tie_tolerance;
    }
    const double margin = z_target - best_other;
    const double credit = margin > tie_tolerance ? 1.0 : margin < -tie_tolerance ? 0.0 : 1.0 / ties;
    acc.margins.push_back(margin);
    acc.credits.push_back(credit);
    acc.per_step += credit / Q;
    acc.exact_match = acc.exact_match && credit == 1.0;
  }
  return acc;
}

// docs/models/tree.md §3.4.
RetrievalMasses retrieval_masses(const CanonicalSample& sample, const CanonicalPass& pass) {
  const int H = static_cast<int>(pass.attention.size());
  RetrievalMasses m{std::vector<double>(H, 0.0), std::vector<double>(H, 0.0)};
  int backward_queries = 0, forward_queries = 0;
  for (int q = 0; q < sample.queries(); ++q) (sample.stage[q] == 0 ? backward_queries : forward_queries) += 1;
  for (int h = 0; h < H; ++h)
    for (int q = 0; q < sample.queries(); ++q) {
      const int cur = sample.current(q);
      const bool backward = sample.stage[q] == 0;
      const auto& key_slot = backward ? sample.x : sample.y;
      double mass = 0.0;
      for (int k = 0; k <= sample.position[q]; ++k)
        if (key_slot[k] == cur) mass += pass.attention[h](q, k);
      (backward ? m.backward : m.forward)[h] += mass / (backward ? backward_queries : forward_queries);
    }
  if (forward_queries == 0) std::fill(m.forward.begin(), m.forward.end(), nan);
  return m;
}

double first_upward_crossing(const std::vector<double>& t, const std::vector<double>& y, double level) {
  return first_crossing(t, y, level, [level](double v) { return v < level; });
}

double first_positive_crossing(const std::vector<double>& t, const std::vector<double>& y) {
  return first_crossing(t, y, 0.0, [](double v) { return v <= 0.0; });
}

double default_run_time(Task task) { return task == Task::forward ? 250.0 : 100.0; }

std::vector<double> grid_times(const PhaseGrid& grid, Task task) {
  const double t_run = grid.t_run > 0.0 ? grid.t_run : default_run_time(task);
  if (!(grid.dt > 0.0) || !std::isfinite(t_run) || !(grid.dt <= t_run))
    throw std::invalid_argument(fmt::format(
        "dt = {}: the phase-time grid step must be positive and at most t_run = {}", grid.dt, t_run));
  if (t_run / grid.dt > 1e8)
    throw std::invalid_argument(fmt::format("dt = {}: more than 10^8 grid points up to t_run = {}", grid.dt, t_run));
  // The tolerance keeps t_run itself on the grid when t_run / dt is an integer up to rounding.
  const long last = static_cast<long>(std::floor(t_run / grid.dt * (1.0 + 1e-12)));
  std::vector<double> t(last + 1);
  for (long n = 0; n <= last; ++n) t[n] = n * grid.dt;
  return t;
}

// docs/models/tree.md §5.
PhaseTimes phase_times(Task task, int H, const std::vector<double>& t, const SeriesLookup& column) {
  PhaseTimes out;
  if (t.size() < 2) throw std::invalid_argument("phase_times: the series need at least two times");
  out.t_B = first_upward_crossing(t, series_max(column, t.size(), "m_B", H), 0.5);
  out.t_acc = first_positive_crossing(t, column("min_margin"));
  if (task == Task::forward) {
    out.t_F = first_upward_crossing(t, series_max(column, t.size(), "m_F", H), 0.5);
    double best = -INFINITY;
    for (int h = 0; h < H; ++h) {
      const double m_F = column(head_column(h, "m_F")).back();
      if (m_F > best) best = m_F, out.forward_head = h;
    }
    if (out.forward_head < 0) return out;  // no finite m_F
    const auto& o_X = column(head_column(out.forward_head, "o_X"));
    const auto& o_Y = column(head_column(out.forward_head, "o_Y"));
    std::vector<double> gap(t.size());
    for (std::size_t n = 0; n < gap.size(); ++n) gap[n] = o_X[n] - o_Y[n];
    out.t_S = first_upward_crossing(t, gap, 0.0);
  }
  return out;
}

PhaseTimes phase_times(const Parameters& p, const Trajectory& on_grid) {
  return phase_times(p.task, p.H, on_grid.times,
                     [&](const std::string& name) -> const std::vector<double>& { return on_grid.column(name); });
}

PhaseTimes phase_times(const Parameters& p, const PhaseGrid& grid, const Tolerances& tolerances) {
  return phase_times(p, integrate(p, grid_times(grid, p.task), tolerances));
}

}  // namespace cotdyn::meanfield::tree
