#include <cotdyn/models/committee/comparison_figures.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include <fmt/format.h>

#include <cotdyn/plots/palette.hpp>

namespace cotdyn::models::committee {

namespace {

using plots::Panel;
using plots::Series;

// The first positive time: where a log time axis starts.
double first_positive(const std::vector<double>& t) {
  for (double x : t)
    if (x > 0) return x;
  return std::numeric_limits<double>::quiet_NaN();
}

// The index of the time nearest to t in log t (times > 0 only).
std::size_t nearest_index(const std::vector<double>& times, double t) {
  std::size_t best = times.size() - 1;
  double distance = std::numeric_limits<double>::infinity();
  for (std::size_t j = 0; j < times.size(); ++j)
    if (times[j] > 0 && std::abs(std::log(times[j] / t)) < distance) {
      distance = std::abs(std::log(times[j] / t));
      best = j;
    }
  return best;
}

// Q_i_k is stored for i <= k only.
std::string q_name(int i, int k) { return fmt::format("Q_{}_{}", std::min(i, k), std::max(i, k)); }

// A heatmap panel of a rows x cols matrix whose (r, c) entry is value(r, c).
template <class Value>
Panel matrix_panel(const std::string& title, const std::string& x_label, const std::string& y_label, int rows,
                   int cols, Value value, plots::Range range) {
  std::vector<double> x, y, values;
  for (int c = 0; c < cols; ++c) x.push_back(c);
  for (int r = 0; r < rows; ++r) y.push_back(r);
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) values.push_back(value(r, c));
  Panel panel;
  panel.title = title;
  panel.x_label = x_label;
  panel.y_label = y_label;
  panel.x_tics = x;
  panel.y_tics = y;
  panel.x_format = "%.0f";
  panel.y_format = "%.0f";
  panel.key = plots::KeyPosition::hidden;
  panel.cb_range = range;
  panel.add(Series::heatmap("", x, y, values));
  return panel;
}

}  // namespace

plots::Figure learning_curve_figure(const std::vector<ComparedSize>& sizes) {
  plots::Figure figure;
  figure.name = "learning_curve";
  figure.title = "Committee machine: {/Symbol e}_g, ODE (lines) and simulation seed mean (dots)";
  figure.panel_width_in = 9.6;  // room for the key beside the curves
  Panel& panel = figure.add(Panel{});
  panel.x_label = "t = steps / N";
  panel.y_label = "{/Symbol e}_g";
  panel.log_x = panel.log_y = true;
  panel.key = plots::KeyPosition::outside_right;
  panel.y_format = "10^{%T}";
  double lo = std::numeric_limits<double>::infinity(), hi = 0;
  for (std::size_t k = 0; k < sizes.size(); ++k) {
    const auto& size = sizes[k];
    const auto t = size.theory.column("t");
    const auto theory = size.theory.column("eg");
    const auto simulated = size.mean("eg");
    for (const auto* v : {&theory, &simulated})
      for (double x : *v)
        if (x > 0) {
          lo = std::min(lo, x);
          hi = std::max(hi, x);
        }
    const auto colour = plots::palette_color(k);
    panel.add(Series::line(fmt::format("ODE, N = {}", size.size), t, theory).with_color(colour));
    panel.add(Series::points(fmt::format("simulation, N = {}", size.size), t, simulated)
                  .with_color(colour)
                  .with_points(7, 0.9));
  }
  if (sizes.empty()) return figure;
  panel.x_range.min = first_positive(sizes.back().theory.column("t"));
  // The largest size's ODE milestones (docs/models/committee.md §6).
  const auto& theory = sizes.back().theory;
  const double start = theory.milestone("plateau_start"), end = theory.milestone("plateau_end");
  const double level = theory.milestone("eg_plateau"), t_spec = theory.milestone("t_spec");
  if (std::isfinite(start) && std::isfinite(end) && std::isfinite(level))
    panel.add(Series::line(fmt::format("plateau of the ODE, N = {}", sizes.back().size), {start, end}, {level, level})
                  .with_color("#000000")
                  .with_line_width(6));
  if (std::isfinite(t_spec) && hi > 0)
    panel.add(Series::line("specialisation t_{spec} of the ODE", {t_spec, t_spec}, {lo, hi})
                  .with_color("#000000")
                  .with_dash(2));
  return figure;
}

std::vector<std::size_t> overlap_time_indices(const ComparedSize& size) {
  const auto times = size.theory.column("t");
  std::vector<std::size_t> indices;
  for (const char* milestone : {"t_star", "t_spec"}) {
    const double t = size.theory.milestone(milestone);
    if (std::isfinite(t) && t > 0) indices.push_back(nearest_index(times, t));
  }
  indices.push_back(times.size() - 1);
  std::sort(indices.begin(), indices.end());
  indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
  return indices;
}

plots::Figure overlap_figure(const ComparedSize& size, int K, int M) {
  plots::Figure figure;
  figure.name = "overlaps";
  figure.title = fmt::format("Overlaps R (student i x teacher n) and Q (student x student), ODE and seed mean, N = {}",
                             size.size);
  figure.columns = 4;
  figure.panel_width_in = 3.2;
  figure.panel_height_in = 2.6;
  const auto times = size.theory.column("t");
  for (std::size_t j : overlap_time_indices(size)) {
    auto at = [&](const std::vector<double>& column) { return column[j]; };
    std::map<std::string, std::pair<double, double>> pair;  // column -> (theory, seed mean) at time j
    for (int i = 0; i < K; ++i) {
      for (int n = 0; n < M; ++n) {
        const std::string name = fmt::format("R_{}_{}", i, n);
        pair[name] = {at(size.theory.column(name)), at(size.mean(name))};
      }
      for (int k = i; k < K; ++k) pair[q_name(i, k)] = {at(size.theory.column(q_name(i, k))), at(size.mean(q_name(i, k)))};
    }
    // One colour range per matrix and time, shared by the theory and the seed mean.
    auto range_of = [&](char matrix) {
      plots::Range r{std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
      for (const auto& [name, values] : pair)
        if (name[0] == matrix)
          for (double v : {values.first, values.second}) {
            r.min = std::min(*r.min, v);
            r.max = std::max(*r.max, v);
          }
      if (!(*r.max > *r.min)) r.max = *r.min + 1e-12;
      return r;
    };
    const std::string when = fmt::format("t = {:.3g}", times[j]);
    const plots::Range r_range = range_of('R'), q_range = range_of('Q');
    figure.add(matrix_panel("R, ODE, " + when, "teacher n", "student i", K, M,
                            [&](int i, int n) { return pair[fmt::format("R_{}_{}", i, n)].first; }, r_range));
    figure.add(matrix_panel("R, simulation, " + when, "teacher n", "student i", K, M,
                            [&](int i, int n) { return pair[fmt::format("R_{}_{}", i, n)].second; }, r_range));
    figure.add(matrix_panel("Q, ODE, " + when, "student k", "student i", K, K,
                            [&](int i, int k) { return pair[q_name(i, k)].first; }, q_range));
    figure.add(matrix_panel("Q, simulation, " + when, "student k", "student i", K, K,
                            [&](int i, int k) { return pair[q_name(i, k)].second; }, q_range));
  }
  return figure;
}

plots::Figure one_seed_figure(const ComparedSize& size, std::size_t seed, const Trajectory& ode, int K, int M) {
  plots::Figure figure;
  figure.name = "R_one_seed";
  figure.title = fmt::format("R_{{in}}, seed {}, N = {}: simulation (dots), the ODE from its initial weights (lines)",
                             size.seeds.at(seed), size.size);
  Panel& panel = figure.add(Panel{});
  panel.x_label = "t = steps / N";
  panel.y_label = "R_{in}";
  panel.log_x = true;
  panel.key = plots::KeyPosition::top_left;
  const auto t = ode.column("t");
  panel.x_range.min = first_positive(t);
  const auto& measured = size.measured.at(seed);
  std::size_t colour = 0;
  for (int i = 0; i < K; ++i)
    for (int n = 0; n < M; ++n, ++colour) {
      const std::string name = fmt::format("R_{}_{}", i, n);
      const auto c = plots::palette_color(colour);
      panel.add(Series::line(fmt::format("R_{{{}{}}} ODE", i, n), t, ode.column(name)).with_color(c));
      panel.add(Series::points("", measured.column("t"), measured.column(name)).with_color(c).with_points(7, 0.5));
    }
  return figure;
}

}  // namespace cotdyn::models::committee
