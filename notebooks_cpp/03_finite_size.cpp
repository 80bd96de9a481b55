// Notebook 3 — Finite-size scaling: how fast does the simulation approach the mean-field theory?
//
// The mean-field ODE is exact only as d -> infinity: at finite d the fixed random embeddings are
// not exactly orthogonal, and every measured overlap carries fluctuations of relative size
// ~ 1/sqrt(d), and possibly a systematic bias ~ 1/d. If the theory is the right limit, the
// distance between the seed mean and the ODE must shrink as a power of d.
//
// We train the transformer at d = 64, 128, 256, 512 and 1024 — the largest sizes are affordable
// because the logic module is stored as coefficients on the embedding basis (a step costs the same
// at every d; only the number of steps, t_max d, grows) — and let the compare library measure, for
// each quantity, the RMS over time of |seed mean - ODE| and the mean seed standard deviation, then
// fit RMS ~ d^exponent by log-log least squares with the exponent's standard error.
#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include <cotdyn/core/observation_grid.hpp>
#include <cotdyn/analysis/compare/compare_report.hpp>
#include <cotdyn/notebooks_cpp/notebook.hpp>
#include <cotdyn/notebooks_cpp/notebook_simulation.hpp>
#include <cotdyn/models/state_tracking/resolve.hpp>
#include <cotdyn/models/state_tracking/model.hpp>

namespace nb = cotdyn::notebook;
namespace cmp = cotdyn::compare;
using cotdyn::plots::Figure;
using cotdyn::plots::Panel;
using cotdyn::plots::Series;

namespace {

// Quantity names in the figure's enhanced text (R_c is R with subscript c; step_acc needs "\_").
std::string label(const std::string& q) {
  if (q == "alpha") return "{/Symbol a}";
  if (q == "step_acc") return "per-step acc.";
  if (q == "rollout_acc") return "rollout acc.";
  return q;
}

void body(nb::Context& c) {
  const std::vector<int> dims =
      c.options.reduced ? std::vector<int>{16, 32, 48} : std::vector<int>{64, 128, 256, 512, 1024};
  cmp::CompareInput input;
  input.parameters = cotdyn::models::state_tracking::resolve_model_parameters(c.config);
  input.tolerances = cotdyn::models::state_tracking::resolve_tolerances(c.config);
  input.t_max = cotdyn::core::resolve_t_max(c.config);
  const auto& p = input.parameters;

  // The big d dominate the cost (steps = t_max d): the largest runs go first, one per core, and the
  // seeds are cut into groups of ten so that the two cores finish together.
  input.runs = nb::simulate_dims(c, dims, 10);
  c.log("comparing with the ODE and fitting the finite-size exponents");
  const cmp::CompareOutcome o = cmp::run_comparison(input);

  // Gather the discrepancies per quantity, in the order of the compare library.
  std::map<std::string, std::vector<cmp::Discrepancy>> by_quantity;
  for (const auto& x : o.discrepancies) by_quantity[x.quantity].push_back(x);
  std::map<std::string, cmp::PowerLawFit> fits;
  for (const auto& f : o.fits) fits[f.quantity] = f;

  // The figure. (a) order parameters and (b) accuracies: RMS discrepancy against d with the fitted
  // power law (dashed); (c) the seed-to-seed spread, whose d^{-1/2} law is the fluctuation floor of
  // a seed mean; (d) the lock-on time per d against the ODE.
  std::vector<double> dd(dims.begin(), dims.end());
  const cotdyn::plots::Range x_range{dd.front() / 1.3, dd.back() * 1.3};
  Figure figure;
  figure.name = "finite_size";
  figure.title = fmt::format("Finite-size scaling: d = {}, {} seeds each, t_{{max}} = {:g}", nb::join(dims, ", "),
                             input.runs.front().seeds.size(), input.t_max);
  figure.columns = 2;
  auto scaling_panel = [&](const std::string& title, const std::vector<std::string>& quantities, bool spread) {
    Panel& panel = figure.add(Panel{});
    panel.title = title;
    panel.x_label = "embedding dimension d";
    panel.y_label = spread ? "mean seed standard deviation" : "RMS over t of |seed mean - ODE|";
    panel.log_x = panel.log_y = true;
    panel.x_tics = dd;
    panel.x_range = x_range;
    panel.key = cotdyn::plots::KeyPosition::outside_right;
    const int point_types[] = {7, 5, 9, 11, 13, 15};  // circle, square, triangles, diamond, pentagon
    for (std::size_t k = 0; k < quantities.size(); ++k) {
      const auto& q = quantities[k];
      const auto colour = cotdyn::plots::palette_color(k);
      const int point_type = point_types[k % 6];
      std::vector<double> x, y;
      for (const auto& e : by_quantity[q]) {
        const double v = spread ? e.seed_std : e.rms;
        if (v > 0) {
          x.push_back(e.d);
          y.push_back(v);
        }
      }
      if (x.empty()) continue;
      if (spread) {
        const auto fit = cmp::fit_power_law(x, y);
        panel.add(Series::line(fmt::format("{}: {:.2f}", label(q), fit.exponent), x, y).with_color(colour));
        panel.add(Series::points("", x, y).with_color(colour).with_points(point_type, 1.3));
        continue;
      }
      const auto it = fits.find(q);
      if (it != fits.end() && std::isfinite(it->second.exponent)) {
        std::vector<double> line;
        for (double d : dd) line.push_back(it->second.prefactor * std::pow(d, it->second.exponent));
        panel.add(Series::line("", dd, line).with_color(colour).with_dash(2).with_line_width(1.5));
        panel.add(
            Series::points(
                fmt::format("{}: {:.2f} ± {:.2f}", label(q), it->second.exponent, it->second.exponent_stderr), x, y)
                .with_color(colour)
                .with_points(point_type, 1.5));
      } else {
        panel.add(Series::points(label(q), x, y).with_color(colour).with_points(point_type, 1.5));
      }
    }
    // The y axis spans the data (autoscale would round out to whole decades), tics at 1-2-5.
    double lo = INFINITY, hi = 0;
    for (const auto& series : panel.series)
      for (double v : series.y)
        if (v > 0 && std::isfinite(v)) {
          lo = std::min(lo, v);
          hi = std::max(hi, v);
        }
    if (hi > 0) {
      panel.y_range = {lo / 1.5, hi * 1.5};
      panel.y_tics = nb::log_tics(lo / 1.5, hi * 1.5);
    }
    if (spread) {
      // A d^{-1/2} guide through the geometric middle of the first quantity's points.
      const auto& first = by_quantity[quantities.front()];
      const double mid = std::sqrt(first.front().seed_std * first.back().seed_std);
      const double d_mid = std::sqrt(dd.front() * dd.back());
      std::vector<double> guide;
      for (double d : dd) guide.push_back(mid * std::sqrt(d_mid / d));
      panel.add(Series::line("d^{-1/2}", dd, guide).with_color("#000000").with_dash(3).with_line_width(1.5));
    }
  };
  scaling_panel("(a) order parameters (key: fitted exponent ± s.e.)", {"M", "alpha", "R", "Q", "R_c", "Q_c"}, false);
  scaling_panel("(b) accuracies against the logit-distribution form", {"step_acc", "rollout_acc"}, false);
  scaling_panel("(c) seed-to-seed spread (key: fitted exponent)", {"alpha", "R", "Q", "R_c", "Q_c"}, true);
  {
    Panel& panel = figure.add(Panel{});
    panel.title = "(d) lock-on time per d";
    panel.x_label = "embedding dimension d";
    panel.y_label = "lock-on time t_{1/2}";
    panel.log_x = true;
    panel.x_tics = dd;
    panel.x_range = x_range;
    panel.key = cotdyn::plots::KeyPosition::outside_right;
    std::vector<double> mean, sd;
    for (const auto& l : o.lock_on) {
      mean.push_back(l.mean);
      sd.push_back(l.std_dev);
    }
    panel.add(Series::line("ODE", {x_range.min.value(), x_range.max.value()}, {o.ode_lock_on, o.ode_lock_on})
                  .with_color("#000000")
                  .with_dash(2));
    panel.add(Series::error_bars("seeds: mean ± s.d.", dd, mean, sd)
                  .with_color(cotdyn::plots::palette_color(0))
                  .with_points(7, 1.0));
  }
  figure.panel_width_in = 7.6;  // the keys sit outside the axes, on the right
  const std::string stem = c.save(figure);

  // The numbers.
  const std::size_t seeds = input.runs.front().seeds.size();
  std::vector<std::vector<std::string>> fit_rows;
  nlohmann::json fit_json;
  std::map<std::string, cmp::PowerLawFit> spread_fits;
  for (const auto& q : cotdyn::models::state_tracking::compared_quantities()) {
    const auto it = fits.find(q.simulated);
    if (it == fits.end()) continue;
    const auto& f = it->second;
    std::vector<double> x, spread;
    std::string rms_list;
    for (const auto& e : by_quantity[q.simulated]) {
      x.push_back(e.d);
      spread.push_back(e.seed_std);
      rms_list += (rms_list.empty() ? "" : ", ") + nb::sig(e.rms, 2);
    }
    const auto spread_fit = cmp::fit_power_law(x, spread);
    spread_fits[q.simulated] = spread_fit;
    // How far the RMS sits above the noise floor of a seed mean, s.d./sqrt(S): >> 1 is a systematic
    // gap between theory and simulation, ~1 is the seeds' own scatter.
    const auto& first = by_quantity[q.simulated].front();
    const auto& last = by_quantity[q.simulated].back();
    const double floor_first = first.seed_std / std::sqrt(double(seeds)),
                 floor_last = last.seed_std / std::sqrt(double(seeds));
    fit_rows.push_back(
        {q.simulated, rms_list, nb::plus_minus(f.exponent, f.exponent_stderr, 2),
         nb::plus_minus(spread_fit.exponent, spread_fit.exponent_stderr, 2),
         fmt::format("{} → {}", nb::fixed(first.rms / floor_first, 1), nb::fixed(last.rms / floor_last, 1))});
    fit_json[q.simulated] = {{"exponent", nb::json_number(f.exponent)},
                             {"stderr", nb::json_number(f.exponent_stderr)},
                             {"prefactor", nb::json_number(f.prefactor)},
                             {"seed_std_exponent", nb::json_number(spread_fit.exponent)}};
  }
  std::vector<std::vector<std::string>> lock_rows;
  for (std::size_t k = 0; k < dims.size(); ++k) {
    const auto& l = o.lock_on[k];
    lock_rows.push_back({std::to_string(dims[k]), fmt::format("{}/{}", l.locked_seeds, l.per_seed.size()),
                         nb::plus_minus(l.mean, l.std_dev, 2), nb::fixed(l.mean - o.ode_lock_on, 2),
                         o.stages[k].all() ? "yes" : "no"});
  }
  const auto fit_of = [](std::map<std::string, cmp::PowerLawFit>& m, const std::string& q) {
    return m.count(q) ? m[q] : cmp::PowerLawFit{q, NAN, NAN, NAN};
  };
  c.report.summary(fmt::format(
      "From d = {} to d = {} the RMS distance between the seed mean and the ODE scales as d^({}) for R and "
      "d^({}) for alpha (log-log fit ± standard error); the seed-to-seed spread of R scales as d^({}).",
      dims.front(), dims.back(), nb::plus_minus(fit_of(fits, "R").exponent, fit_of(fits, "R").exponent_stderr, 2),
      nb::plus_minus(fit_of(fits, "alpha").exponent, fit_of(fits, "alpha").exponent_stderr, 2),
      nb::plus_minus(fit_of(spread_fits, "R").exponent, fit_of(spread_fits, "R").exponent_stderr, 2)));
  c.report.paragraph(
      "**Question.** Does the trained transformer converge to the mean-field theory as the embedding dimension "
      "grows, and how fast? A power law with a negative exponent says the ODE is the d → ∞ limit; the exponent "
      "says whether the gap is dominated by fluctuations (−1/2) or by a systematic bias (−1).");
  c.report.paragraph(fmt::format(
      "**Computation.** The transformer (S4, K = {}, n = {}, L = {}, batch {}, eta_W = {:g}, eta_A = {:g}, sigma2 = "
      "{:g}) with the coefficient storage of the logic module, trained at d = {} for {} seeds each to t_max = {:g} "
      "(up to {} steps), observed at {} times; the ODE on the same times; discrepancies, fits and lock-on times from "
      "the compare library (`run_comparison`, `fit_power_law`).",
      p.K, p.n, p.L, c.config.get_integer("train.batch"), p.eta_W, p.eta_A, p.sigma2, nb::join(dims),
      input.runs.front().seeds.size(), input.t_max, std::llround(input.t_max * dims.back()),
      input.runs.front().times().size()));
  c.report.figure(stem,
                  "RMS discrepancy between the seed mean and the ODE against d with fitted power laws "
                  "(dashed; the key gives exponent ± standard error), the seed spread against d with a "
                  "d^(−1/2) guide, and the lock-on time per d");
  c.report.heading("Finite-size exponents");
  c.report.table({"quantity", fmt::format("RMS at d = {}", nb::join(dims)), "exponent of the RMS",
                  "exponent of the seed s.d.", fmt::format("RMS / (s.d./√S), d = {} → {}", dims.front(), dims.back())},
                 fit_rows);
  c.report.heading("Lock-on time per d");
  c.report.paragraph(fmt::format("ODE: t_1/2 = {}.", nb::fixed(o.ode_lock_on, 3)));
  c.report.table({"d", "seeds locked", "t_1/2 (mean ± s.d.)", "mean − ODE", "staged-learning order observed"},
                 lock_rows);
  c.report.paragraph(fmt::format(
      "**What to look for.** The RMS of a seed mean of S = {} seeds contains the seeds' own scatter, about "
      "s.d./√S. The last column compares the two: a ratio well above 1 is a systematic gap between the theory and "
      "the finite-d model, a ratio near 1 is scatter that only more seeds would shrink. An RMS that falls faster "
      "than the spread (exponent near −1 against −1/2) is a systematic bias of order 1/d closing in on the scatter; "
      "one that falls like the spread is scatter-dominated throughout. The standard errors come from {} points and "
      "the fits' residuals: read them as a rough guide, not as confidence intervals.",
      seeds, dims.size()));

  nlohmann::json& r = c.manifest.results();
  r["dims"] = dims;
  r["seeds"] = seeds;
  r["finite_size_fits"] = fit_json;
  r["ode_lock_on_time"] = nb::json_number(o.ode_lock_on);
  for (std::size_t k = 0; k < dims.size(); ++k)
    r["lock_on"][std::to_string(dims[k])] = {{"mean", nb::json_number(o.lock_on[k].mean)},
                                             {"std", nb::json_number(o.lock_on[k].std_dev)}};
}

}  // namespace

int main(int argc, char** argv) {
  return nb::run(argc, argv,
                 {"03_finite_size", "Notebook 3 — Finite-size scaling of the discrepancy with d",
                  "The distance between simulation and theory against d, up to d = 1024, with fitted exponents.",
                  [](bool reduced) {
                    if (reduced)
                      return std::vector<std::string>{"task.L=5", "train.eta_A=8.0", "train.t_max=20.0",
                                                      "train.seeds=2", "observe.times=\"linear:0:t_max:21\""};
                    return std::vector<std::string>{"model.logic=\"coefficients\"", "train.seeds=20"};
                  },
                  body});
}
