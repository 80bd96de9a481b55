// Notebook 4 — How long is the plateau?
//
// Before the attention locks on to the correct lag, training sits on a plateau: the loss barely
// moves while the attention score M grows exponentially from its small initial value ~ sigma2. The
// mean-field ODE gives the exact lock-on time t_1/2 (alpha = 1/2, read from the dense output);
// docs/theory.md §6 gives a closed form from the early-time expansion,
//
//     t_1/2 ~ K L sqrt( n asinh(M_1/2 / sigma2) / ((K - 1) eta_A eta_W) ),
//
// which predicts a plateau that grows only logarithmically as the initialisation shrinks, linearly
// with the context length L, and as sqrt(n) with the number of states. This notebook measures how
// well that formula tracks the ODE when one parameter at a time moves away from the default
// (n = 24, K = 4, L = 9, eta_W = 10, eta_A = 2, sigma2 = 0.01). The closed form assumes that the
// logic module is still in its early linear growth at lock-on; a slow attention (small eta_A) lets it
// saturate first. The frozen-attention estimate of §6.1 (the logic module learning with alpha held
// at 1/L, the attention escaping once its accumulated force reaches the threshold) covers both
// regimes; the eta_A sweep shows where the closed form fails and whether the frozen estimate holds.
//
// Theory only (no LibTorch): every point is one ODE solve, run in parallel with oneTBB.
#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <cotdyn/analysis/compare/discrepancy.hpp>
#include <cotdyn/notebooks_cpp/notebook.hpp>
#include <cotdyn/meanfield/state_tracking/frozen_attention_escape.hpp>
#include <cotdyn/meanfield/state_tracking/plateau_estimate.hpp>
#include <cotdyn/models/state_tracking/resolve.hpp>
#include <cotdyn/meanfield/state_tracking/theory_run.hpp>

namespace nb = cotdyn::notebook;
namespace mf = cotdyn::meanfield;
using cotdyn::plots::Figure;
using cotdyn::plots::Panel;
using cotdyn::plots::Series;

namespace {

// One parameter swept away from the default; the others stay at the config's values.
struct Axis {
  std::string key;    // config key, for the report
  std::string label;  // axis label (gnuplot enhanced text)
  std::string title;  // panel title: what the closed form says about this parameter
  std::vector<double> values;
  void (*set)(mf::ModelParameters&, double);
  bool log_x, log_y;  // log-log where the closed form is a power law
};

// The grid with the default value added (so that the four panels share a marked point), sorted.
std::vector<double> with_default(std::vector<double> v, double default_value) {
  v.push_back(default_value);
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end(), [](double a, double b) { return std::abs(a - b) <= 1e-12 * std::abs(b); }),
          v.end());
  return v;
}

struct Point {
  double value = 0;
  double ode = std::numeric_limits<double>::quiet_NaN();  // t_1/2 of the ODE
  double estimate = 0;                                    // the closed form
  double frozen = 0;                                      // the frozen-attention estimate (§6.1)
};

// The ODE's lock-on time. The integration horizon starts at three times the estimate and doubles
// until alpha reaches 1/2 (a plateau the formula underestimates badly would otherwise be cut off).
double ode_lock_on(const mf::ModelParameters& p, const mf::Tolerances& tolerances) {
  double horizon = 3 * mf::lock_on_time_estimate(p);
  for (int attempt = 0; attempt < 4; ++attempt, horizon *= 2) {
    const auto result = mf::run_theory(p, {0.0, horizon}, tolerances, {});
    if (std::isfinite(result.milestones.lock_on_time)) return result.milestones.lock_on_time;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

std::vector<int> integer_log_grid(double a, double b, int n) {
  std::vector<int> v;
  for (double x : nb::log_space(a, b, n)) v.push_back(static_cast<int>(std::lround(x)));
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}
std::vector<double> as_double(const std::vector<int>& v) { return {v.begin(), v.end()}; }

void body(nb::Context& c) {
  const bool reduced = c.options.reduced;
  const mf::ModelParameters base = cotdyn::models::state_tracking::resolve_model_parameters(c.config);
  const mf::Tolerances tolerances = cotdyn::models::state_tracking::resolve_tolerances(c.config);

  // The four sweeps. sigma2 spans four decades below the default scale; L starts at 3 (at L = 2
  // the lock-on score M_1/2 = ((L-1)/L) ln(L-1) is zero); K stops where n = 24 allows (K <= n-1
  // and the count-vector enumeration stays small); n spans S3-sized to S6-sized state spaces.
  const int m = reduced ? 3 : 13;
  std::vector<Axis> axes = {
      {"model.sigma2", "initial attention scale {/Symbol s}^2",
       "(a) closed form {/Symbol \\265} [asinh(M_{1/2} / {/Symbol s}^2)]^{1/2}",
       with_default(nb::log_space(1e-6, 0.1, reduced ? 3 : 21), base.sigma2),
       [](mf::ModelParameters& p, double v) { p.sigma2 = v; }, true, false},
      {"task.L", "context length L", "(b) closed form {/Symbol \\265} L [asinh(M_{1/2}(L) / {/Symbol s}^2)]^{1/2}",
       with_default(as_double(integer_log_grid(3, 40, reduced ? 3 : 16)), base.L),
       [](mf::ModelParameters& p, double v) { p.L = static_cast<int>(v); }, true, true},
      {"task.K", "number of actions K", "(c) closed form {/Symbol \\265} K / (K-1)^{1/2}",
       with_default(reduced ? std::vector<double>{2, 6} : nb::lin_space(2, 12, 11), base.K),
       [](mf::ModelParameters& p, double v) { p.K = static_cast<int>(v); }, false, false},
      {"task.n", "number of states n", "(d) closed form {/Symbol \\265} n^{1/2}",
       with_default(as_double(integer_log_grid(6, 720, reduced ? 3 : 16)), base.n),
       [](mf::ModelParameters& p, double v) { p.n = static_cast<int>(v); }, true, true},
      {"train.eta_A", "attention learning rate {/Symbol h}_A",
       "(e) closed form {/Symbol \265} {/Symbol h}_A^{-1/2}; saturation at small {/Symbol h}_A",
       with_default(nb::log_space(0.005, 5, reduced ? 3 : 16), base.eta_A),
       [](mf::ModelParameters& p, double v) { p.eta_A = v; }, true, true},
  };

  // Every (axis, value) is an independent ODE: solve them all in parallel.
  std::vector<std::pair<std::size_t, std::size_t>> jobs;
  std::vector<std::vector<Point>> points(axes.size());
  for (std::size_t a = 0; a < axes.size(); ++a) {
    points[a].resize(axes[a].values.size());
    for (std::size_t i = 0; i < axes[a].values.size(); ++i) jobs.emplace_back(a, i);
  }
  c.log(fmt::format("solving {} ODEs", jobs.size()));
  tbb::parallel_for(std::size_t(0), jobs.size(), [&](std::size_t j) {
    const auto [a, i] = jobs[j];
    mf::ModelParameters p = base;
    axes[a].set(p, axes[a].values[i]);
    points[a][i] = {axes[a].values[i], ode_lock_on(p, tolerances), mf::lock_on_time_estimate(p),
                    mf::frozen_attention_escape(p, tolerances).lock_on};
  });
  c.log("solved");

  // The figure: one panel per parameter, t_1/2 on a log axis. The ODE is the solid line with
  // markers, the closed form the dashed line; the default value of the parameter is marked.
  Figure figure;
  figure.name = "plateau_length";
  figure.title = "Plateau length: the ODE's lock-on time against the closed-form and frozen-attention estimates";
  figure.columns = 2;
  const double defaults[] = {base.sigma2, double(base.L), double(base.K), double(base.n), base.eta_A};
  for (std::size_t a = 0; a < axes.size(); ++a) {
    std::vector<double> x, ode, estimate, frozen;
    for (const auto& p : points[a]) {
      x.push_back(p.value);
      ode.push_back(p.ode);
      estimate.push_back(p.estimate);
      frozen.push_back(p.frozen);
    }
    Panel& panel = figure.add(Panel{});
    panel.title = axes[a].title;
    panel.x_label = axes[a].label;
    panel.y_label = "lock-on time t_{1/2}";
    panel.log_x = axes[a].log_x;
    panel.log_y = axes[a].log_y;
    if (a == 0) panel.x_format = "10^{%T}";
    panel.key = a == 0                          ? cotdyn::plots::KeyPosition::top_right
                : axes[a].key == "train.eta_A" ? cotdyn::plots::KeyPosition::bottom_left
                                               : cotdyn::plots::KeyPosition::top_left;
    panel.x_range = {x.front(), x.back()};
    double lo = INFINITY, hi = 0;
    for (const auto& p : points[a])
      for (double v : {p.estimate, p.ode, p.frozen})
        if (std::isfinite(v)) {
          lo = std::min(lo, v);
          hi = std::max(hi, v);
        }
    if (axes[a].log_y) {
      // Log axes over less than two decades: tics at 1-2-5 steps instead of powers of ten only.
      panel.y_range = {lo / 1.25, hi * 1.6};
      panel.y_tics = nb::log_tics(lo / 1.25, hi * 1.6);
    } else {
      panel.y_range = {0.0, 1.25 * hi};  // linear from zero: slopes read directly as sensitivities
    }
    if (axes[a].key == "task.L") panel.x_tics = {3, 5, 10, 20, 40};
    if (axes[a].key == "task.n") panel.x_tics = {6, 24, 120, 720};  // |S_3|, |S_4|, |S_5|, |S_6|
    const auto colour = cotdyn::plots::palette_color(a);
    panel.add(Series::line("closed form (theory §6)", x, estimate).with_color("#000000").with_dash(2));
    panel.add(Series::line("frozen attention (§6.1)", x, frozen).with_color("#777777").with_dash(3).with_line_width(2));
    panel.add(Series::line("ODE (dense output)", x, ode).with_color(colour));
    panel.add(Series::points("", x, ode).with_color(colour).with_points(7, 1.1));
    // The default configuration, where the four panels meet.
    for (const auto& p : points[a])
      if (std::abs(p.value - defaults[a]) <= 1e-12 * defaults[a])
        panel.add(Series::points("default config", {p.value}, {p.ode}).with_color("#000000").with_points(6, 2.2));
  }
  const std::string stem = c.save(figure);

  // The numbers behind the figure. For each sweep: the range of the ratio ODE / closed form, and
  // log-log slopes of both (least squares with standard error, compare::fit_power_law), which show
  // whether the formula has the right scaling even where its prefactor is off.
  double ratio_min = INFINITY, ratio_max = -INFINITY, frozen_min = INFINITY, frozen_max = -INFINITY;
  std::vector<std::vector<std::string>> rows;
  nlohmann::json results;
  for (std::size_t a = 0; a < axes.size(); ++a) {
    std::vector<double> x, ode, estimate, frozen;
    double lo = INFINITY, hi = -INFINITY, frozen_lo = INFINITY, frozen_hi = -INFINITY;
    for (const auto& p : points[a]) {
      if (!std::isfinite(p.ode)) continue;
      x.push_back(p.value);
      ode.push_back(p.ode);
      estimate.push_back(p.estimate);
      frozen.push_back(p.frozen);
      lo = std::min(lo, p.ode / p.estimate);
      hi = std::max(hi, p.ode / p.estimate);
      frozen_lo = std::min(frozen_lo, p.ode / p.frozen);
      frozen_hi = std::max(frozen_hi, p.ode / p.frozen);
    }
    ratio_min = std::min(ratio_min, lo);
    ratio_max = std::max(ratio_max, hi);
    frozen_min = std::min(frozen_min, frozen_lo);
    frozen_max = std::max(frozen_max, frozen_hi);
    const auto fit_ode = cotdyn::compare::fit_power_law(x, ode);
    const auto fit_estimate = cotdyn::compare::fit_power_law(x, estimate);
    rows.push_back({"`" + axes[a].key + "`", fmt::format("{} … {}", nb::sig(x.front()), nb::sig(x.back())),
                    std::to_string(x.size()), fmt::format("{} … {}", nb::fixed(lo, 3), nb::fixed(hi, 3)),
                    fmt::format("{} … {}", nb::fixed(frozen_lo, 3), nb::fixed(frozen_hi, 3)),
                    nb::plus_minus(fit_ode.exponent, fit_ode.exponent_stderr, 3),
                    nb::plus_minus(fit_estimate.exponent, fit_estimate.exponent_stderr, 3)});
    nlohmann::json& j = results[axes[a].key];
    j["values"] = x;
    j["t_half_ode"] = ode;
    j["t_half_estimate"] = estimate;
    j["t_half_frozen_attention"] = frozen;
    j["slope_ode"] = nb::json_number(fit_ode.exponent);
    j["slope_estimate"] = nb::json_number(fit_estimate.exponent);
  }
  const double default_ode = ode_lock_on(base, tolerances);
  c.report.summary(
      fmt::format("At the default point the ODE locks on at t_1/2 = {} against the closed form's {} and the "
                  "frozen-attention estimate's {}; over the five sweeps the ratio ODE / closed form spans [{}, {}] "
                  "and the ratio ODE / frozen attention [{}, {}].",
                  nb::fixed(default_ode, 2), nb::fixed(mf::lock_on_time_estimate(base), 2),
                  nb::fixed(mf::frozen_attention_escape(base, tolerances).lock_on, 2), nb::fixed(ratio_min, 3),
                  nb::fixed(ratio_max, 3), nb::fixed(frozen_min, 3), nb::fixed(frozen_max, 3)));
  c.report.paragraph(
      "**Question.** How long does training sit on the plateau before the attention locks on to the correct "
      "lag, and does the closed form of docs/theory.md §6 capture how that time depends on the initial attention "
      "scale sigma2, the context length L, the number of actions K, the number of states n and the attention's "
      "learning rate eta_A? Where it fails (a slow attention, whose logic module saturates first), does the "
      "frozen-attention estimate of §6.1 hold?");
  c.report.paragraph(
      "**Computation.** One mean-field ODE per point (Dormand–Prince, rtol = " + nb::sig(tolerances.rtol) +
      "), one parameter at a time moved away from the default n = " + std::to_string(base.n) +
      ", K = " + std::to_string(base.K) + ", L = " + std::to_string(base.L) + ", eta_W = " + nb::sig(base.eta_W) +
      ", eta_A = " + nb::sig(base.eta_A) + ", sigma2 = " + nb::sig(base.sigma2) +
      ". t_1/2 is where alpha = 1/2, located on the solver's dense output. The closed form is "
      "t_1/2 ≈ K L sqrt(n asinh(M_1/2 / sigma2) / ((K−1) eta_A eta_W)) with M_1/2 = ((L−1)/L) ln(L−1). The "
      "frozen-attention estimate integrates the ODE's logic equations with M held at 0 and returns the time at which "
      "2 eta_A ∫ kappa dt reaches asinh(M_1/2 / sigma2).");
  c.report.figure(stem,
                  "The ODE's lock-on time (solid, markers), the closed-form estimate (dashed) and the frozen-attention "
                  "estimate (grey, dotted) against sigma2, L, K, n and eta_A; the ring marks the default configuration");
  c.report.heading("Numbers");
  c.report.table(
      {"parameter", "range", "points", "ratio ODE / closed form", "ratio ODE / frozen attention", "log-log slope, ODE",
       "log-log slope, closed form"},
      rows);
  const auto& sigma = points[0];
  c.report.paragraph(fmt::format(
      "**What to look for.** The slopes are least-squares fits of log t_1/2 on log(parameter) with their standard "
      "errors; a slope's standard error here measures curvature (a non-power law), not noise. Against sigma2 neither "
      "curve is a power law: the plateau grows like sqrt(ln(1/sigma2)), so {:.0f} decades of initial scale change "
      "the ODE's t_1/2 only from {} (sigma2 = {}) to {} (sigma2 = {}). Against L, K and n the closed form and the "
      "ODE share their slopes where the early-time expansion captures the scaling; a ratio that drifts along a "
      "sweep shows where the expansion (alpha ≈ 1/L, R and Q still small) stops holding at lock-on.",
      std::log10(sigma.back().value / sigma.front().value), nb::fixed(sigma.back().ode, 1), nb::sig(sigma.back().value),
      nb::fixed(sigma.front().ode, 1), nb::sig(sigma.front().value)));
  results["default_t_half_ode"] = nb::json_number(default_ode);
  results["default_t_half_estimate"] = mf::lock_on_time_estimate(base);
  results["ratio_min"] = nb::json_number(ratio_min);
  results["ratio_max"] = nb::json_number(ratio_max);
  results["frozen_ratio_min"] = nb::json_number(frozen_min);
  results["frozen_ratio_max"] = nb::json_number(frozen_max);
  c.manifest.results() = results;
  c.manifest.json()["threads"]["used"] = "oneTBB default";
}

}  // namespace

int main(int argc, char** argv) {
  return nb::run(
      argc, argv,
      {"04_plateau_length", "Notebook 4 — Plateau length: the ODE's lock-on time against the closed form",
       "The ODE's lock-on time and the closed-form and frozen-attention plateau estimates against sigma2, L, K, n "
       "and eta_A.", nullptr, body});
}
