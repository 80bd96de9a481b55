#include <cotdyn/analysis/ablate/ablation_figures.hpp>

#include <cmath>

#include <fmt/format.h>

#include <cotdyn/plots/plots.hpp>

namespace cotdyn::ablate {

namespace {
using plots::Panel;
using plots::Series;

// Enhanced-text safe: gnuplot reads "_" as a subscript.
std::string label(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '_' || c == '^' || c == '{' || c == '}' || c == '@' || c == '&' || c == '~') out += '\\';
    out += c;
  }
  return out;
}

std::size_t variant_index(const AblationInput& in, const std::string& name) {
  for (std::size_t k = 0; k < in.variants.size(); ++k)
    if (in.variants[k].name == name) return k;
  return 0;
}

bool has(const compare::SimulatedRun& run, const std::string& q) {
  return !run.seeds.empty() && run.seeds.front().values.count(q) > 0;
}
}  // namespace

std::string variant_color(std::size_t k) {
  // Okabe-Ito without black, then Tol's muted colours: 13 distinct colours before repeating.
  static const std::vector<std::string> colors = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00",
                                                  "#56B4E9", "#882255", "#117733", "#332288", "#999933",
                                                  "#AA4499", "#44AA99", "#DDCC77"};
  return colors[k % colors.size()];
}

std::vector<plots::Figure> ablation_figures(const AblationOutcome& o, const AblationInput& in) {
  std::vector<plots::Figure> figures;
  const auto key_name = [&](std::size_t k) { return fmt::format("{} {}", k + 1, label(in.variants[k].name)); };
  // The solvable model's ODE is the first variant whose theory is the config's (every switch but single_lr).
  std::size_t reference = 0;
  for (std::size_t k = 0; k < in.variants.size(); ++k)
    if (theory_parameters(in.parameters, in.variants[k]).eta_A == in.parameters.eta_A) {
      reference = k;
      break;
    }

  plots::Figure overlay;
  overlay.name = "ablation_overlay";
  overlay.title = "Every variant (seed means, lines) against the theory of the solvable model (black)";
  overlay.columns = 2;
  // The key (one entry per variant) sits outside the right panel of every row, so that the rows keep
  // the same plot widths; tall panels let it fit in one column.
  overlay.panel_width_in = 9.0;
  overlay.panel_height_in = 6.0;
  for (int d : in.dims) {
    for (const char* quantity : {"alpha", "rollout_acc"}) {
      const bool alpha = std::string(quantity) == "alpha";
      Panel& panel = overlay.add(Panel{});
      panel.title = fmt::format("d = {}: {}", d,
                                alpha ? "correct-lag weight {/Symbol a}" : "exact-match rollout accuracy");
      panel.x_label = "t = steps / d";
      panel.y_label = alpha ? "{/Symbol a}" : "rollout accuracy";
      panel.x_range = {0.0, in.t_max};
      panel.y_range = {-0.02, 1.02};
      panel.key = alpha ? plots::KeyPosition::hidden : plots::KeyPosition::outside_right;
      bool own_theory_named = false;
      // The theory: alpha(M) of the ODE on the fine grid, the LD rollout prediction at this d.
      for (std::size_t r = 0; r < o.rows.size(); ++r) {
        if (o.rows[r].d != d) continue;
        const std::size_t k = variant_index(in, o.rows[r].variant);
        const bool own_theory = theory_parameters(in.parameters, in.variants[k]).eta_A != in.parameters.eta_A;
        if (k != reference && !own_theory) continue;
        const auto& th = o.row_theory[r];
        // Every variant with its own ODE (single_lr alone or in a pair) has the same one: drawn once,
        // in the colour of the first such variant, so that the line matches its key entry.
        if (own_theory && own_theory_named) continue;
        const std::string name = own_theory ? "ODE at eta\\_A = eta\\_W (dashed)" : "ODE";
        own_theory_named = own_theory_named || own_theory;
        const std::string color = own_theory ? variant_color(k) : "#000000";
        if (alpha)
          panel.add(Series::line(name, o.variant_dense[k].t, o.variant_dense[k].values.at("alpha"))
                        .with_color(color)
                        .with_line_width(own_theory ? 2.0 : 4.0)
                        .with_dash(own_theory ? 2 : 1));
        else if (th.values.count("rollout_acc_ld"))
          panel.add(Series::line(name.empty() || own_theory ? name : name + " (LD at d)", th.t, th.values.at("rollout_acc_ld"))
                        .with_color(color)
                        .with_line_width(own_theory ? 2.0 : 4.0)
                        .with_dash(own_theory ? 2 : 1));
      }
      for (std::size_t r = 0; r < o.rows.size(); ++r) {
        if (o.rows[r].d != d) continue;
        const auto& run = o.row_runs[r]->run;
        const std::size_t k = variant_index(in, o.rows[r].variant);
        if (!has(run, quantity)) continue;
        panel.add(Series::line(key_name(k), run.times(), run.mean(quantity))
                      .with_color(variant_color(k))
                      .with_line_width(in.variants[k].is_baseline() ? 3.0 : 1.6)
                      .with_dash(in.variants[k].switches.size() >= 2 ? 3 : 1));
      }
      if (panel.series.empty()) panel.add(Series::line("", {0.0, in.t_max}, {0.0, 0.0}).with_color("#ffffff"));
    }
  }
  figures.push_back(std::move(overlay));

  // Colour = variant (as in the overlay), marker = quantity. The key of the right panel names both.
  plots::Figure summary;
  summary.name = "ablation_summary";
  summary.title = "Per variant (numbered and coloured as in the key of ablation\\_overlay): lock-on time and distance from the ODE";
  summary.columns = 2;
  summary.panel_width_in = 7.0;
  summary.panel_height_in = 5.0;
  const double n = static_cast<double>(in.variants.size());
  std::vector<double> tics;
  for (std::size_t k = 0; k < in.variants.size(); ++k) tics.push_back(k + 1.0);
  for (int d : in.dims) {
    // Both panels are filled first and added at the end (a reference into the figure's panels would
    // not survive the second add).
    Panel lock;
    lock.title = fmt::format("d = {}: lock-on time t_{{1/2}} (seeds: mean ± s.d.)", d);
    lock.x_label = "variant";
    lock.y_label = "lock-on time t_{1/2}";
    lock.x_range = {0.5, n + 0.5};
    lock.x_tics = tics;
    lock.x_format = "%.0f";
    lock.y_range = {0.0, 1.05 * in.t_max};  // room for the no-lock-on markers at t_max
    lock.key = plots::KeyPosition::hidden;  // the markers are explained in the figure's caption (report.md)
    lock.add(Series::line("", {0.5, n + 0.5}, {o.ode_t_half, o.ode_t_half}).with_color("#000000"));
    for (double f : {0.9, 1.1})
      lock.add(Series::line("", {0.5, n + 0.5}, {f * o.ode_t_half, f * o.ode_t_half})
                   .with_color("#808080")
                   .with_dash(2)
                   .with_line_width(1.2));
    Panel rms;
    rms.title = fmt::format("d = {}: RMS over t of |seed mean - ODE|", d);
    rms.x_label = "variant";
    rms.y_label = "RMS";
    rms.log_y = true;
    rms.y_format = "10^{%T}";
    rms.x_range = {0.5, n + 0.5};
    rms.x_tics = tics;
    rms.x_format = "%.0f";
    rms.key = plots::KeyPosition::top_left;
    const char* quantity_names[3] = {"{/Symbol a}", "R", "Q"};
    const int markers[3] = {7, 5, 9};
    const double offsets[3] = {-0.2, 0.0, 0.2};
    double low = INFINITY, high = 0;
    for (std::size_t r = 0; r < o.rows.size(); ++r) {
      const auto& row = o.rows[r];
      if (row.d != d) continue;
      const std::size_t k = variant_index(in, row.variant);
      const double at = k + 1.0;
      const auto colour = variant_color(k);
      if (std::isfinite(row.t_half))
        lock.add(Series::error_bars("", {at}, {row.t_half}, {std::isfinite(row.t_half_std) ? row.t_half_std : 0})
                     .with_color(colour)
                     .with_points(7, 1.4));
      else if (row.error.empty())
        lock.add(Series::points("", {at}, {in.t_max}).with_color(colour).with_points(8, 1.6));
      // A variant compared with its own ODE (single_lr) gets that ODE's lock-on as an open circle.
      if (std::isfinite(row.theory_t_half) && std::abs(row.theory_t_half - o.ode_t_half) > 1e-9)
        lock.add(Series::points("", {at}, {row.theory_t_half}).with_color(colour).with_points(6, 2.0));
      const double values[3] = {row.rms_alpha, row.rms_R, row.rms_Q};
      for (int q = 0; q < 3; ++q)
        if (std::isfinite(values[q]) && values[q] > 0) {
          rms.add(Series::points("", {at + offsets[q]}, {values[q]}).with_color(colour).with_points(markers[q], 1.4));
          low = std::min(low, values[q]);
          high = std::max(high, values[q]);
        }
    }
    if (high > 0) {
      // Key entries only: markers placed left of the visible x range.
      for (int q = 0; q < 3; ++q)
        rms.add(Series::points(quantity_names[q], {-10.0}, {high}).with_color("#000000").with_points(markers[q], 1.4));
      // A decade of headroom keeps the key (top left) off the data.
      rms.y_range = {std::pow(10.0, std::floor(std::log10(low))), std::pow(10.0, std::ceil(std::log10(high)) + 1)};
    } else {
      rms.log_y = false;
      rms.y_format.clear();
      rms.add(Series::line("", {0.5, n + 0.5}, {0.0, 0.0}).with_color("#ffffff"));
    }
    summary.add(std::move(lock));
    summary.add(std::move(rms));
  }
  figures.push_back(std::move(summary));
  return figures;
}

void write_ablation_figures(const AblationOutcome& o, const AblationInput& in, const std::filesystem::path& directory,
                            bool render) {
  for (const auto& figure : ablation_figures(o, in)) {
    if (render)
      plots::save_figure(figure, directory);
    else
      plots::write_figure(figure, directory);
  }
}

}  // namespace cotdyn::ablate
