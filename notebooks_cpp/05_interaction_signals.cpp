// Notebook 5 — How fast does an order-r interaction signal fade with the sequence length?
//
// A single attention layer that averages T tokens, z = v sum_j softmax(w)_j x_j, followed by an
// activation sigma, has to find the r positions of a parity target y = prod_{j in S} x_j. At w = 0
// the gradient that tells relevant from irrelevant positions is Delta_r (INTERACTION.md). With plain
// averaging (v = 1) each relevant token enters with weight 1/T, so the signal falls like T^{-r}
// times the r-th derivative of sigma at the bias b: an order-r interaction needs ~T^{2r} samples to
// be seen. This is why long chains are hard without chain of thought, which breaks one order-r
// problem into order-1 steps.
//
// Here we compute Delta_r exactly (finite Rademacher sum), its large-T Taylor form, and, when the
// build has LibTorch, measure it with autograd on the real model (antithetic Monte Carlo with a
// standard error), for several activations, r = 1..4 and T = 4..128, and fit the log-log slopes.
// What to look for: slopes near -r; exact zeros where the activation's symmetry kills a derivative
// (tanh is odd: even r vanish at b = 0); the measurement inside a few standard errors of the exact
// value wherever it is resolved from zero.
#include <algorithm>
#include <cmath>
#include <map>
#include <thread>

#include <fmt/format.h>

#include <cotdyn/interaction/prediction.hpp>
#include <cotdyn/interaction/slopes.hpp>
#include <cotdyn/interaction/interaction_output.hpp>
#include <cotdyn/notebooks_cpp/notebook.hpp>
#ifdef COTDYN_NOTEBOOK_MEASURE
#include <cotdyn/interaction/measure.hpp>
#endif

namespace nb = cotdyn::notebook;
namespace ia = cotdyn::interaction;
using cotdyn::plots::Figure;
using cotdyn::plots::Panel;
using cotdyn::plots::Series;

namespace {

#ifdef COTDYN_NOTEBOOK_MEASURE
constexpr bool measured_build = true;
#else
constexpr bool measured_build = false;
#endif

void body(nb::Context& c) {
  // The table's settings come from the config's [interaction] section, as in `cotdyn interaction`.
  const ia::InteractionSettings settings = cotdyn::interaction::resolve_interaction_settings(c.config);
  c.manifest.json()["seed"] = settings.seed;
  auto rows = ia::predict_rows(settings);
  c.log(fmt::format("{} cells predicted", rows.size()));
#ifdef COTDYN_NOTEBOOK_MEASURE
  c.log(fmt::format("measuring {} cells, {} antithetic pairs each", rows.size(), settings.samples));
  ia::measure_rows(rows, settings.samples, settings.seed);
  c.log("measured");
#endif
  const auto slopes = ia::fit_slopes(rows, settings.v);
  const double b = settings.b.front();

  // The figure: one panel per activation, |Delta_r| against T on log-log axes, a colour per r.
  // Lines are the exact values, dotted lines the Taylor form, markers with bars the measurement
  // (± 1 standard error; only cells resolved from zero, |measured| > 2 s.e., can sit on a log axis).
  Figure figure;
  figure.name = "interaction_signals";
  figure.title = fmt::format(
      "Order-r signal |{{/Symbol D}}_r| against T (b = {:g}, v = {}, {} tokens): exact (lines), "
      "Taylor form (dotted){}",
      settings.b.front(), settings.v.label(), ia::token_law_name(settings.tokens),
      measured_build ? ", measured (circles, ± 1 s.e.)" : "; theory only, not measured");
  figure.columns = 2;
  for (const auto& activation : settings.activations) {
    Panel& panel = figure.add(Panel{});
    panel.title = activation;
    panel.x_label = "sequence length T";
    panel.y_label = "|{/Symbol D}_r|";
    panel.log_x = panel.log_y = true;
    panel.y_format = "10^{%T}";
    panel.x_tics.assign(settings.T.begin(), settings.T.end());
    panel.x_range = {settings.T.front() / 1.15, settings.T.back() * 1.15};
    panel.key = cotdyn::plots::KeyPosition::bottom_left;
    for (std::size_t k = 0; k < settings.r.size(); ++k) {
      const int r = settings.r[k];
      std::vector<double> t, exact, tt, taylor, tm, measured, low, high;
      for (const auto& row : rows) {
        if (row.activation != activation || row.b != b || row.r != r || row.t_equals_r) continue;
        if (std::abs(row.delta_exact) >= ia::ratio_floor) {
          t.push_back(row.T);
          exact.push_back(std::abs(row.delta_exact));
        }
        if (std::isfinite(row.delta_taylor) && std::abs(row.delta_taylor) >= ia::ratio_floor) {
          tt.push_back(row.T);
          taylor.push_back(std::abs(row.delta_taylor));
        }
        // Measured cells resolved from zero; a cell that vanishes by symmetry measures rounding noise
        // (~1e-17 with an even smaller standard error), which has no place on the plot.
        if (std::isfinite(row.delta_measured) && std::abs(row.delta_measured) > 2 * row.std_error &&
            std::abs(row.delta_exact) >= ia::ratio_floor) {
          tm.push_back(row.T);
          measured.push_back(std::abs(row.delta_measured));
          low.push_back(std::max(std::abs(row.delta_measured) - row.std_error, 1e-300));
          high.push_back(std::abs(row.delta_measured) + row.std_error);
        }
      }
      const auto colour = cotdyn::plots::palette_color(k);
      if (!t.empty()) panel.add(Series::line(fmt::format("r = {}", r), t, exact).with_color(colour));
      if (!tt.empty()) panel.add(Series::line("", tt, taylor).with_color(colour).with_dash(3).with_line_width(1.5));
      if (!tm.empty())
        panel.add(Series::error_bars("", tm, measured, low, high).with_color(colour).with_points(6, 1.6));
    }
    if (panel.series.empty())  // every order vanishes by symmetry: say so instead of an empty plot
      panel.add(Series::points("all zero", {double(settings.T.front())}, {1.0}).with_color("#ffffff"));
  }
  const std::string stem = c.save(figure);

  // The numbers: slopes per (activation, r), exact and measured, and the measurement's agreement.
  std::vector<std::vector<std::string>> slope_rows;
  nlohmann::json slope_json = nlohmann::json::array();
  double worst_gap = 0;             // largest |local slope + r| over the smooth activations' non-zero orders
  std::vector<std::string> kinked;  // ReLU's local slopes, which follow another law (the kink at 0)
  bool kinked_shallower = true;     // ReLU's slope above -r (a slower decay) at every order r >= 2
  for (const auto& s : slopes) {
    const bool zero = s.n_exact == 0;  // the order vanishes by symmetry: the measured "slope" is noise
    slope_rows.push_back({s.activation, std::to_string(s.r), std::to_string(s.n_exact),
                          zero ? "— (zero by symmetry)" : nb::plus_minus(s.slope_exact, s.slope_exact_stderr, 3),
                          nb::fixed(s.slope_local_exact, 3), zero ? "—" : std::to_string(s.n_measured),
                          zero ? "—" : nb::plus_minus(s.slope_measured, s.slope_measured_stderr, 3)});
    if (!std::isfinite(s.slope_local_exact)) continue;
    if (ia::is_smooth(ia::parse_activation(s.activation)))
      worst_gap = std::max(worst_gap, std::abs(s.slope_local_exact + s.r));
    else {
      kinked.push_back(fmt::format("{} at r = {}", nb::fixed(s.slope_local_exact, 2), s.r));
      if (s.r >= 2 && !(s.slope_local_exact > -s.r + 0.1)) kinked_shallower = false;
    }
    slope_json.push_back({{"activation", s.activation},
                          {"r", s.r},
                          {"slope_exact", nb::json_number(s.slope_exact)},
                          {"slope_local_exact", nb::json_number(s.slope_local_exact)},
                          {"slope_measured", nb::json_number(s.slope_measured)},
                          {"slope_measured_stderr", nb::json_number(s.slope_measured_stderr)}});
  }
  // Agreement of the measurement with the exact value, over the measured cells whose exact value is
  // not zero (a symmetry zero measures rounding noise of ~1e-18, with an even smaller standard error).
  // A cell agrees when it lies within 3 standard errors, or within 1e-10 relative (where the estimator
  // has no variance left, e.g. r = 1 with an exact enumeration, only rounding separates the two).
  int compared = 0, resolved = 0, outside = 0, zeros = 0;
  double max_z = 0, max_relative = 0;  // over the compared cells; z only where rounding does not explain it
  for (const auto& row : rows) {
    const bool zero = std::abs(row.delta_exact) < ia::ratio_floor;
    if (zero && !row.t_equals_r) ++zeros;
    if (!std::isfinite(row.delta_measured) || zero) continue;
    ++compared;
    if (std::abs(row.delta_measured) > 2 * row.std_error) ++resolved;
    const double difference = std::abs(row.delta_measured - row.delta_exact);
    const double relative = difference / std::abs(row.delta_exact);
    max_relative = std::max(max_relative, relative);
    if (relative <= 1e-10) continue;
    const double z = difference / row.std_error;
    max_z = std::max(max_z, z);
    if (z > 3) ++outside;
  }

  c.report.summary(
      measured_build
          ? fmt::format(
                "The local log-log slope of |Delta_r| at the largest T is within {} of −r for every smooth "
                "activation and non-vanishing order; {} of {} measured non-zero cells agree with the exact value "
                "within 3 standard errors (largest deviation {} s.e., {} relative).",
                nb::fixed(worst_gap, 3), compared - outside, compared, nb::fixed(max_z, 2), nb::sig(max_relative, 2))
          : fmt::format("The local log-log slope of |Delta_r| at the largest T is within {} of −r for every smooth "
                        "activation and non-vanishing order. Theory only: this build has no LibTorch, so nothing is "
                        "measured.",
                        nb::fixed(worst_gap, 3)));
  c.report.paragraph(
      "**Question.** How fast does the gradient signal of an order-r interaction decay with the sequence length T, "
      "and does the activation change that law? The signal Delta_r is the gradient difference between relevant and "
      "irrelevant positions of an attention layer at initialisation trained on an order-r parity; ~1/Delta_r^2 "
      "samples are needed to see it.");
  c.report.paragraph(fmt::format(
      "**Computation.** For the activations {}, bias b = {}, value scale v = {}, {} tokens, orders r = {} and lengths "
      "T = {}: the exact Delta_r (finite Rademacher sum, extended precision where needed), its large-T Taylor form "
      "(v/T)^r [sigma^(r)(b) + v^2 sigma^(r+2)(b) / (2T)], and {}. Slopes are least-squares fits of log|Delta_r| on "
      "log T over the non-zero cells (interaction/slopes.hpp); the local slope uses the two largest T.",
      nb::join(settings.activations), b, settings.v.label(), ia::token_law_name(settings.tokens), nb::join(settings.r),
      nb::join(settings.T),
      measured_build
          ? fmt::format("the measurement with LibTorch autograd on the real model ({} antithetic pairs per cell, seed "
                        "{}, cells in parallel with oneTBB, one LibTorch thread each)",
                        settings.samples, settings.seed)
          : "**no measurement**: this build has no LibTorch (configured with COTDYN_WITH_TORCH=OFF), so the figure "
            "shows the theory alone"));
  c.report.figure(stem, measured_build ? "|Delta_r| against T per activation: exact (lines), Taylor form (dotted), "
                                         "measured with autograd (circles, ± 1 standard error), a colour per r"
                                       : "|Delta_r| against T per activation: exact (lines) and Taylor form (dotted), "
                                         "a colour per r (theory only)");
  c.report.heading("Slopes of log|Delta_r| against log T");
  c.report.table(
      {"activation", "r", "cells", "slope (exact)", "local slope (exact)", "cells measured", "slope (measured)"},
      slope_rows);
  if (!kinked.empty())
    c.report.paragraph(
        "ReLU is not smooth at b = 0: its derivatives there are not defined, the Taylor form does not "
        "apply, and its local slopes are " +
        nb::join(kinked) +
        (kinked_shallower ? ": shallower than −r from r = 2 on, so its higher-order signals decay "
                            "more slowly than the smooth activations'."
                          : "."));
  c.report.heading("Measurement");
  if (measured_build)
    c.report.paragraph(fmt::format(
        "{} measured cells with a non-zero exact value; {} of them resolved from zero (|measured| > 2 s.e.); {} "
        "outside 3 standard errors of the exact value (cells that agree to 1e-10 relative are counted as agreeing: "
        "there the antithetic estimator has no variance left and only rounding separates the two). Largest "
        "|measured − exact| / s.e.: {}; largest |measured − exact| / |exact|: {}. {} cells vanish exactly by "
        "symmetry (|Delta_r| < 1e-14): their measurement is rounding noise, and they are left off the log axes "
        "and out of the fits.",
        compared, resolved, outside, nb::fixed(max_z, 2), nb::sig(max_relative, 2), zeros));
  else
    c.report.paragraph(fmt::format(
        "Not measured in this build (no LibTorch). {} cells vanish exactly by symmetry (|Delta_r| < 1e-14) and are "
        "left off the log axes.",
        zeros));
  std::string zero_groups;
  for (const auto& s : slopes)
    if (s.n_exact == 0)
      zero_groups += fmt::format("{}{} at r = {}", zero_groups.empty() ? "" : ", ", s.activation, s.r);
  c.report.paragraph(fmt::format(
      "**What to look for.** Straight lines of slope −r on the log-log axes: each extra order of interaction costs "
      "another factor T in signal, T^2 in samples. The activation sets only the prefactor, sigma^(r)(b); where a "
      "symmetry makes Delta_r vanish at every T ({}), the order carries no signal at all at this bias.",
      zero_groups.empty() ? "none in this table" : zero_groups));

  nlohmann::json& res = c.manifest.results();
  res["measured"] = measured_build;
  res["cells"] = rows.size();
  res["cells_compared"] = compared;
  res["cells_outside_3_stderr"] = outside;
  res["max_abs_z"] = max_z;
  res["max_relative_deviation"] = max_relative;
  res["max_local_slope_gap"] = worst_gap;
  res["slopes"] = slope_json;
  c.manifest.json()["threads"]["used"] =
      measured_build ? nlohmann::json(std::thread::hardware_concurrency()) : nlohmann::json(1);
}

}  // namespace

int main(int argc, char** argv) {
  return nb::run(
      argc, argv,
      {"05_interaction_signals",
       measured_build ? "Notebook 5 — Order-r interaction signals against T, theory and measurement"
                      : "Notebook 5 — Order-r interaction signals against T (theory only: no LibTorch in this build)",
       "Order-r interaction signals against T for several activations: exact, Taylor and (with LibTorch) measured.",
       [](bool reduced) {
         if (reduced)
           return std::vector<std::string>{"interaction.activations=[\"tanh\", \"gelu\"]", "interaction.r=[1, 2]",
                                           "interaction.T=[4, 8, 16]", "interaction.samples=200"};
         return std::vector<std::string>{"interaction.activations=[\"tanh\", \"relu\", \"gelu\", \"exp\"]",
                                         "interaction.r=[1, 2, 3, 4]", "interaction.T=[4, 8, 16, 32, 64, 128]",
                                         "interaction.samples=20000"};
       },
       body});
}
