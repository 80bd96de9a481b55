#include <cotdyn/analysis/compare/compare_figures.hpp>

#include <cmath>

#include <fmt/format.h>

#include <cotdyn/plots/plots.hpp>

namespace cotdyn::compare {

namespace {
using plots::Panel;
using plots::Series;

// M can be negative before lock-on and grows by orders of magnitude: asinh(M / sigma2) shows both.
std::vector<double> transform(const std::vector<double>& y, const std::string& quantity, double sigma2) {
  if (quantity != "M") return y;
  std::vector<double> out;
  for (double v : y) out.push_back(std::asinh(v / sigma2));
  return out;
}

void add_overlay(Panel& panel, const CompareFigureInput& in, const std::string& quantity,
                 const std::string& theory_quantity) {
  // Bands first so that markers and lines are drawn over them.
  for (std::size_t k = 0; k < in.runs.size(); ++k) {
    const auto& run = in.runs[k];
    const auto mean = run.mean(quantity), sd = run.std_dev(quantity);
    std::vector<double> low, high;
    for (std::size_t i = 0; i < mean.size(); ++i) {
      low.push_back(mean[i] - sd[i]);
      high.push_back(mean[i] + sd[i]);
    }
    panel.add(Series::band("", run.times(), transform(low, quantity, in.sigma2), transform(high, quantity, in.sigma2))
                  .with_color(plots::palette_color(k))
                  .with_opacity(0.2));
  }
  panel.add(Series::line("ODE", in.theory_dense.t,
                         transform(in.theory_dense.values.at(theory_quantity), quantity, in.sigma2))
                .with_color("#000000"));
  for (std::size_t k = 0; k < in.runs.size(); ++k) {
    const auto& run = in.runs[k];
    panel.add(Series::points(fmt::format("d = {}", run.d), run.times(), transform(run.mean(quantity), quantity, in.sigma2))
                  .with_color(plots::palette_color(k))
                  .with_points(7, 0.8));
  }
}
}  // namespace

void write_compare_figures(const CompareFigureInput& in, const std::filesystem::path& directory, bool render) {
  auto save = [&](const plots::Figure& figure) {
    if (render)
      plots::save_figure(figure, directory);
    else
      plots::write_figure(figure, directory);
  };

  plots::Figure order;
  order.name = "order_parameters";
  order.title = "Mean-field theory (lines) against simulation (seed mean, band = 1 s.d.)";
  order.columns = 2;
  struct Spec {
    const char* quantity;
    const char* label;
  };
  for (const Spec& s : {Spec{"M", "asinh(M / {/Symbol s}^2)"}, Spec{"alpha", "{/Symbol a} (correct-lag weight)"},
                        Spec{"R", "R (teacher alignment)"}, Spec{"Q", "Q (off-target overlap)"}}) {
    Panel& panel = order.add(Panel{});
    panel.x_label = "t = steps / d";
    panel.y_label = s.label;
    panel.key = std::string(s.quantity) == "Q" ? plots::KeyPosition::top_right : plots::KeyPosition::top_left;
    add_overlay(panel, in, s.quantity, s.quantity);
  }
  save(order);

  plots::Figure accuracy;
  accuracy.name = "accuracy";
  accuracy.title = "Accuracy: simulation (markers) against the logit-distribution prediction (lines)";
  accuracy.columns = 2;
  for (const auto& [quantity, label] : {std::pair<std::string, std::string>{"step_acc", "per-step accuracy"},
                                        {"rollout_acc", "exact-match rollout accuracy"},
                                        {"final_acc", "final-state accuracy of the rollout"}}) {
    Panel& panel = accuracy.add(Panel{});
    panel.x_label = "t = steps / d";
    panel.y_label = label;
    panel.y_range = {-0.02, 1.02};
    panel.key = plots::KeyPosition::top_left;
    panel.add(Series::line("d = {/Symbol \\245}", in.theory_dense.t, in.theory_dense.values.at(quantity + "_inf"))
                  .with_color("#000000")
                  .with_dash(2));
    for (std::size_t k = 0; k < in.runs.size(); ++k) {
      panel.add(Series::line(fmt::format("theory d = {}", in.theory[k].d), in.theory[k].t, in.theory[k].values.at(quantity + "_ld"))
                    .with_color(plots::palette_color(k)));
      panel.add(Series::points(fmt::format("sim. d = {}", in.runs[k].d), in.runs[k].times(), in.runs[k].mean(quantity))
                    .with_color(plots::palette_color(k))
                    .with_points(7, 0.8));
    }
  }
  save(accuracy);

  if (in.runs.size() >= 2) {
    plots::Figure scaling;
    scaling.name = "finite_size";
    scaling.title = "Finite-size scaling of the discrepancy (bars: seed bootstrap, 16-84 %)";
    scaling.panel_width_in = 10.0;  // the key with the fitted slopes sits outside, on the right
    Panel& panel = scaling.add(Panel{});
    panel.x_label = "embedding dimension d";
    panel.y_label = "RMS over t of |seed mean - theory|";
    panel.log_x = panel.log_y = true;
    panel.key = plots::KeyPosition::outside_right;
    std::size_t colour = 0;
    std::vector<double> all_d;
    for (const auto& run : in.runs) all_d.push_back(run.d);
    for (const auto& fit : in.fits) {
      std::vector<double> d, rms, low, high;
      bool bars = true;  // the seed bootstrap of each RMS (Discrepancy::rms_low, rms_high), when defined
      for (const auto& x : in.discrepancies)
        if (x.quantity == fit.quantity && x.rms > 0) {
          d.push_back(x.d);
          rms.push_back(x.rms);
          low.push_back(x.rms_low);
          high.push_back(x.rms_high);
          bars = bars && x.rms_low > 0 && std::isfinite(x.rms_high);
        }
      if (d.size() < 2 || !std::isfinite(fit.exponent)) continue;
      const auto c = plots::palette_color(colour++);
      std::vector<double> line;
      for (double x : all_d) line.push_back(fit.prefactor * std::pow(x, fit.exponent));
      // Enhanced text: escape the underscore of step_acc, keep R_c / Q_c as subscripts.
      std::string name = fit.quantity;
      if (name.find("_acc") != std::string::npos) name.replace(name.find("_acc"), 4, "\\_acc");
      const std::string slope = std::isfinite(fit.exponent_stderr)
                                    ? fmt::format("{}: slope {:.2f} ± {:.2f}", name, fit.exponent, fit.exponent_stderr)
                                    : fmt::format("{}: slope {:.2f}", name, fit.exponent);
      panel.add(Series::line("", all_d, line).with_color(c).with_dash(2).with_line_width(1.5));
      if (bars)
        panel.add(Series::error_bars(slope, d, rms, low, high).with_color(c).with_points(7, 1.2));
      else
        panel.add(Series::points(slope, d, rms).with_color(c).with_points(7, 1.2));
    }
    panel.x_range = {all_d.front() / 1.3, all_d.back() * 1.3};
    panel.x_tics = all_d;  // the measured d, since the range may hold no power of 10
    save(scaling);
  }
}

}  // namespace cotdyn::compare
