#include <cotdyn/analysis/sweep/sweep_figures.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <tuple>

#include <fmt/format.h>

#include <cotdyn/plots/plots.hpp>
#include <cotdyn/analysis/sweep/chunk_file.hpp>

namespace cotdyn::sweep {

namespace {

using plots::Figure;
using plots::Panel;
using plots::Series;

// Axis and milestone names in gnuplot's enhanced text.
std::string label(const std::string& name) {
  static const std::map<std::string, std::string> known = {
      {"model.sigma2", "{/Symbol s}^2"}, {"train.eta_A", "{/Symbol h}_A"}, {"train.eta_W", "{/Symbol h}_W"},
      {"task.L", "L"}, {"task.K", "K"}, {"task.n", "n"}, {"model.d", "d"}, {"train.t_max", "t_{max}"},
      {"t_half", "lock-on time t_{1/2}"}, {"t_half_estimate", "closed form (theory §6)"},
      {"Q_max", "max Q"}, {"t_Q_max", "time of max Q"}, {"plateau_step_acc", "plateau per-step accuracy"},
      {"final_step_acc", "final per-step accuracy"}, {"final_rollout_acc", "final rollout accuracy"},
      {"final_step_acc_inf", "final per-step accuracy (d = {/Symbol \\245})"},
      {"final_rollout_acc_inf", "final rollout accuracy (d = {/Symbol \\245})"}, {"ode_steps", "ODE steps"},
      {"t_half_std", "seed s.d. of t_{1/2}"}, {"locked_seeds", "seeds locked on"},
      {"t_half_alpha", "seed-mean {/Symbol a} = 1/2"}, {"final_state_acc", "final-state accuracy"},
      {"seeds", "seeds"}, {"t_half_diff", "t_{1/2}: simulation - ODE"}, {"M", "M"}, {"alpha", "{/Symbol a}"},
      {"R", "R"}, {"Q", "Q"}, {"R_c", "R_c"}, {"Q_c", "Q_c"}, {"step_acc", "per-step accuracy"},
      {"rollout_acc", "rollout accuracy"}};
  const auto it = known.find(name);
  if (it != known.end()) return it->second;
  // compare points: theory_<m>, sim_<m> and rms_<quantity>
  for (const auto& [prefix, before, after] :
       {std::tuple<std::string, std::string, std::string>{"theory_", "", " (ODE)"},
        {"sim_", "", " (simulation)"},
        {"rms_", "RMS |simulation - ODE|: ", ""}})
    if (name.size() > prefix.size() && name.compare(0, prefix.size(), prefix) == 0)
      return before + label(name.substr(prefix.size())) + after;
  std::string escaped;
  for (char c : name) escaped += c == '_' ? std::string("\\\\_") : std::string(1, c);
  return escaped;
}

std::size_t axis_index(const PointsTable& table, const std::string& key) {
  const auto it = std::find(table.axis_keys.begin(), table.axis_keys.end(), key);
  if (it == table.axis_keys.end()) {
    std::string known;
    for (const auto& k : table.axis_keys) known += (known.empty() ? "" : ", ") + k;
    throw std::invalid_argument(fmt::format("axis {}: not an axis of this sweep (axes: {})", key, known));
  }
  return static_cast<std::size_t>(it - table.axis_keys.begin());
}

std::size_t milestone_index(const PointsTable& table, const std::string& name) {
  const auto it = std::find(table.milestone_names.begin(), table.milestone_names.end(), name);
  if (it == table.milestone_names.end()) {
    std::string known;
    for (const auto& k : table.milestone_names) known += (known.empty() ? "" : ", ") + k;
    throw std::invalid_argument(fmt::format("--milestone {}: unknown (milestones: {})", name, known));
  }
  return static_cast<std::size_t>(it - table.milestone_names.begin());
}

bool numeric_axis(const PointsTable& table, std::size_t axis) {
  return std::all_of(table.axis_values[axis].begin(), table.axis_values[axis].end(),
                     [](const nlohmann::json& v) { return v.is_number(); });
}

// Rows whose axes other than `free` sit at their first value (every row of a zipped sweep, whose
// axes move together).
std::vector<const PointsTable::Row*> slice(const PointsTable& table, const std::vector<std::size_t>& free) {
  std::vector<const PointsTable::Row*> rows;
  for (const auto& row : table.rows) {
    bool keep = true;
    if (table.combine == "zip") {
      rows.push_back(&row);
      continue;
    }
    for (std::size_t k = 0; k < table.axis_keys.size(); ++k)
      if (std::find(free.begin(), free.end(), k) == free.end() && row.axis_values[k] != table.axis_values[k].front())
        keep = false;
    if (keep) rows.push_back(&row);
  }
  return rows;
}

std::string held_fixed(const PointsTable& table, const std::vector<std::size_t>& free) {
  std::string text;
  if (table.combine == "zip") return text;
  for (std::size_t k = 0; k < table.axis_keys.size(); ++k)
    if (std::find(free.begin(), free.end(), k) == free.end())
      text += fmt::format("{}{} = {}", text.empty() ? "" : ", ", label(table.axis_keys[k]),
                          csv_cell(table.axis_values[k].front()));
  return text;
}

Series milestone_series(const std::vector<const PointsTable::Row*>& rows, std::size_t axis, std::size_t milestone,
                        const std::string& title) {
  std::vector<std::pair<double, double>> xy;
  for (const auto* row : rows) xy.emplace_back(json_number(row->axis_values[axis]), row->milestones[milestone]);
  std::sort(xy.begin(), xy.end());
  std::vector<double> x, y;
  for (const auto& [a, b] : xy) {
    x.push_back(a);
    y.push_back(b);
  }
  return Series::line(title, x, y).with_points(7, 0.6);
}

// On a log axis spanning less than a decade gnuplot labels no tic: label the axis' own values instead
// (a few of them at most).
std::vector<double> log_axis_tics(const PointsTable& table, std::size_t axis) {
  std::vector<double> values;
  for (const auto& v : table.axis_values[axis]) values.push_back(json_number(v));
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  if (values.size() > 8 || values.empty() || values.front() <= 0 || values.back() >= 10 * values.front()) return {};
  return values;
}

bool any_finite(const std::vector<double>& values) {
  return std::any_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
}

void render(const Figure& figure, const std::filesystem::path& directory, const FigureOptions& options) {
  if (options.render)
    plots::save_figure(figure, directory);
  else
    plots::write_figure(figure, directory);
}

}  // namespace

std::string milestone_lines_figure(const PointsTable& table, const std::string& axis_key,
                                   const std::filesystem::path& directory, const FigureOptions& options) {
  const std::size_t axis = axis_index(table, axis_key);
  if (!numeric_axis(table, axis))
    throw std::invalid_argument(fmt::format("axis {}: has non-numeric values, cannot be a plot axis", axis_key));
  const auto rows = slice(table, {axis});
  const bool log_x = table.axis_scales[axis] == "log";
  const auto has = [&](const std::string& name) {
    return std::find(table.milestone_names.begin(), table.milestone_names.end(), name) != table.milestone_names.end();
  };

  double x_min = INFINITY, x_max = -INFINITY;
  for (const auto& v : table.axis_values[axis]) {
    x_min = std::min(x_min, json_number(v));
    x_max = std::max(x_max, json_number(v));
  }
  Figure figure;
  figure.name = "milestones_vs_" + axis_key;
  figure.title = held_fixed(table, {axis});
  figure.columns = 2;
  // Theory, simulate and compare milestones (theory_ and sim_ side by side); absent names are skipped.
  // In a compare sweep a milestone's ODE (dashed) and simulation (solid) lines share a colour.
  const bool compare = has("t_half_diff");
  const std::vector<std::vector<std::string>> panels = {{"t_half", "t_half_estimate", "t_half_alpha", "t_Q_max"},
                                                        {"Q_max"},
                                                        {"plateau_step_acc", "final_step_acc", "final_step_acc_inf"},
                                                        {"final_rollout_acc", "final_rollout_acc_inf", "final_state_acc"}};
  for (const auto& plain : panels) {
    std::vector<std::string> names = plain;
    std::vector<std::size_t> colour;  // index of the plain milestone
    for (std::size_t k = 0; k < plain.size(); ++k) colour.push_back(k);
    for (const char* prefix : {"theory_", "sim_"})
      for (std::size_t k = 0; k < plain.size(); ++k) {
        names.push_back(prefix + plain[k]);
        colour.push_back(k);
      }
    Panel panel;
    panel.x_label = label(axis_key);
    panel.log_x = log_x;
    panel.key = plots::KeyPosition::below;  // never over the data
    panel.x_range = {x_min, x_max};             // a log axis would otherwise round out to whole decades
    if (log_x) panel.x_tics = log_axis_tics(table, axis);
    for (std::size_t k = 0; k < names.size(); ++k) {
      const std::string& name = names[k];
      if (!has(name)) continue;
      Series s = milestone_series(rows, axis, milestone_index(table, name), label(name));
      if (!any_finite(s.y)) continue;  // e.g. no lock-on before t_max anywhere on this line
      if (name == "t_half_estimate" || name.compare(0, 7, "theory_") == 0) s.with_dash(2);
      if (compare) s.with_color(plots::palette_color(colour[k]));
      panel.add(std::move(s));
    }
    if (panel.series.empty()) continue;
    panel.y_label = names.front() == "t_half" ? "time t" : label(names.front());
    panel.log_y = names.front() == "t_half" && log_x;
    if (names.front().find("_acc") != std::string::npos) panel.y_range = {0.0, 1.05};
    figure.add(std::move(panel));
  }
  if (figure.panels.empty())
    throw std::invalid_argument(fmt::format("axis {}: no finite milestone along it to draw", axis_key));
  render(figure, directory, options);
  return figure.name;
}

std::string discrepancy_figure(const PointsTable& table, const std::string& axis_key,
                               const std::filesystem::path& directory, const FigureOptions& options) {
  const std::size_t axis = axis_index(table, axis_key);
  if (!numeric_axis(table, axis))
    throw std::invalid_argument(fmt::format("axis {}: has non-numeric values, cannot be a plot axis", axis_key));
  const auto has = [&](const std::string& name) {
    return std::find(table.milestone_names.begin(), table.milestone_names.end(), name) != table.milestone_names.end();
  };
  if (!has("t_half_diff"))
    throw std::invalid_argument("discrepancy figures need a compare sweep (kind = \"compare\")");
  const auto rows = slice(table, {axis});
  double x_min = INFINITY, x_max = -INFINITY;
  for (const auto& v : table.axis_values[axis]) {
    x_min = std::min(x_min, json_number(v));
    x_max = std::max(x_max, json_number(v));
  }
  // Finite-size scaling reads best on log-log axes: model.d is drawn on a log axis too.
  const bool log_x = table.axis_scales[axis] == "log" || (axis_key == "model.d" && x_min > 0);

  Figure figure;
  figure.name = "discrepancy_vs_" + axis_key;
  figure.title = held_fixed(table, {axis});
  figure.columns = 2;
  const std::vector<std::pair<std::string, std::vector<std::string>>> panels = {
      {"RMS |seed mean - ODE|", {"rms_M", "rms_alpha", "rms_R", "rms_Q", "rms_R_c", "rms_Q_c"}},
      {"RMS |seed mean - LD prediction|", {"rms_step_acc", "rms_rollout_acc"}},
      {"t_{1/2}: simulation - ODE", {"t_half_diff"}}};
  for (const auto& [y_label, names] : panels) {
    Panel panel;
    panel.x_label = label(axis_key);
    panel.y_label = y_label;
    panel.log_x = log_x;
    panel.key = plots::KeyPosition::below;
    panel.x_range = {x_min, x_max};
    if (log_x) panel.x_tics = log_axis_tics(table, axis);
    bool positive = true;
    for (const auto& name : names) {
      if (!has(name)) continue;
      const std::string title = label(name.compare(0, 4, "rms_") == 0 ? name.substr(4) : name);
      Series s = milestone_series(rows, axis, milestone_index(table, name), title);
      if (!any_finite(s.y)) continue;
      for (double y : s.y) positive = positive && (!std::isfinite(y) || y > 0);
      panel.add(std::move(s));
    }
    if (panel.series.empty()) continue;
    panel.log_y = names.front() != "t_half_diff" && positive;
    figure.add(std::move(panel));
  }
  if (figure.panels.empty())
    throw std::invalid_argument(fmt::format("axis {}: no finite discrepancy along it to draw", axis_key));
  render(figure, directory, options);
  return figure.name;
}

std::string heatmap_figure(const PointsTable& table, const std::string& x_key, const std::string& y_key,
                           const std::vector<std::string>& milestones, const std::filesystem::path& directory,
                           const FigureOptions& options) {
  const std::size_t ax = axis_index(table, x_key), ay = axis_index(table, y_key);
  if (ax == ay) throw std::invalid_argument(fmt::format("heatmap: --x and --y are both {}", x_key));
  if (table.combine != "product")
    throw std::invalid_argument("heatmap: needs combine = \"product\" (a zipped sweep is not a grid)");
  for (std::size_t a : {ax, ay})
    if (!numeric_axis(table, a))
      throw std::invalid_argument(fmt::format("axis {}: has non-numeric values", table.axis_keys[a]));
  auto sorted_values = [&](std::size_t a) {
    std::vector<double> v;
    for (const auto& j : table.axis_values[a]) v.push_back(json_number(j));
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
  };
  const auto xs = sorted_values(ax), ys = sorted_values(ay);
  const auto rows = slice(table, {ax, ay});

  Figure figure;
  figure.name = fmt::format("heatmap_{}_{}", x_key, y_key);
  figure.title = held_fixed(table, {ax, ay});
  figure.columns = milestones.size() > 1 ? 2 : 1;
  for (const auto& name : milestones) {
    const std::size_t m = milestone_index(table, name);
    std::vector<double> values(xs.size() * ys.size(), std::nan(""));
    for (const auto* row : rows) {
      const auto ix = std::lower_bound(xs.begin(), xs.end(), json_number(row->axis_values[ax])) - xs.begin();
      const auto iy = std::lower_bound(ys.begin(), ys.end(), json_number(row->axis_values[ay])) - ys.begin();
      values[static_cast<std::size_t>(iy) * xs.size() + static_cast<std::size_t>(ix)] = row->milestones[m];
    }
    if (!any_finite(values)) continue;  // gnuplot refuses a plot without a single defined value
    Panel panel;
    panel.title = label(name);
    panel.x_label = label(x_key);
    panel.y_label = label(y_key);
    panel.log_x = table.axis_scales[ax] == "log";
    panel.log_y = table.axis_scales[ay] == "log";
    panel.cb_label = label(name);
    panel.key = plots::KeyPosition::hidden;
    if (name.find("_acc") != std::string::npos && name.compare(0, 4, "rms_") != 0)
      panel.cb_range = {0.0, 1.0};  // accuracies on a common scale
    panel.add(Series::heatmap("", xs, ys, values));
    figure.add(std::move(panel));
  }
  if (figure.panels.empty())
    throw std::invalid_argument(fmt::format("heatmap over {} and {}: no finite value to draw", x_key, y_key));
  render(figure, directory, options);
  return figure.name;
}

std::vector<std::string> default_sweep_figures(const PointsTable& table, const std::filesystem::path& directory,
                                               const FigureOptions& options) {
  std::vector<std::string> written;
  if (table.rows.empty()) return written;
  // A figure with nothing finite to draw (e.g. no lock-on anywhere) is skipped, not an error.
  const auto attempt = [&](const auto& make) {
    try {
      written.push_back(make());
    } catch (const std::invalid_argument&) {
    }
  };
  const auto has = [&](const std::string& name) {
    return std::find(table.milestone_names.begin(), table.milestone_names.end(), name) != table.milestone_names.end();
  };
  const bool compare = has("t_half_diff");
  for (std::size_t a = 0; a < table.axis_keys.size(); ++a)
    if (numeric_axis(table, a) && table.axis_values[a].size() > 1) {
      attempt([&] { return milestone_lines_figure(table, table.axis_keys[a], directory, options); });
      if (compare) attempt([&] { return discrepancy_figure(table, table.axis_keys[a], directory, options); });
    }
  if (table.axis_keys.size() >= 2 && table.combine == "product" && numeric_axis(table, 0) && numeric_axis(table, 1)) {
    std::vector<std::string> milestones;
    const std::vector<std::string> wanted =
        compare ? std::vector<std::string>{"t_half_diff", "rms_alpha", "rms_Q_c", "rms_step_acc"}
                : std::vector<std::string>{"t_half", "Q_max", "plateau_step_acc", "final_rollout_acc"};
    for (const auto& name : wanted)
      if (has(name)) milestones.push_back(name);
    if (!milestones.empty())
      attempt([&] { return heatmap_figure(table, table.axis_keys[0], table.axis_keys[1], milestones, directory, options); });
  }
  return written;
}

}  // namespace cotdyn::sweep
