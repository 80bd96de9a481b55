// Notebook 16 — The finite-d Gram flow: how much of the gap between simulation and ODE is the embeddings'?
//
// The mean-field ODE assumes orthonormal embeddings. At finite d the fixed random state and action
// embeddings have Gram matrices I + O(d^{-1/2}); the Gram flow (docs/theory.md §4.8) integrates the
// population gradient flow at quenched Gram matrices, averaged over draws, and leaves out only the SGD
// noise and the spread of the wrong-lag scores. If the Gram matrices are what separates the trained
// network from the ODE, the seed mean must sit closer to the flow than to the ODE, and the flow's
// draw-to-draw scatter must match the seeds' scatter.
//
// We train at d = 32 ... 1024, run the compare library with theory.finite_size = "gram" (which holds
// M, alpha, R, Q, R_c, Q_c against the flow) and set the RMS against the ODE beside the RMS against
// the flow, per quantity and d.
#include <cmath>
#include <map>

#include <fmt/format.h>

#include <cotdyn/analysis/compare/compare_report.hpp>
#include <cotdyn/core/observation_grid.hpp>
#include <cotdyn/models/state_tracking/model.hpp>
#include <cotdyn/models/state_tracking/resolve.hpp>
#include <cotdyn/notebooks_cpp/notebook.hpp>
#include <cotdyn/notebooks_cpp/notebook_simulation.hpp>

namespace nb = cotdyn::notebook;
namespace cmp = cotdyn::compare;
using cotdyn::plots::Figure;
using cotdyn::plots::Panel;
using cotdyn::plots::Series;

namespace {

void body(nb::Context& c) {
  const std::vector<int> dims =
      c.options.reduced ? std::vector<int>{16, 32} : std::vector<int>{32, 64, 128, 256, 512, 1024};
  cmp::CompareInput input;
  input.parameters = cotdyn::models::state_tracking::resolve_model_parameters(c.config);
  input.tolerances = cotdyn::models::state_tracking::resolve_tolerances(c.config);
  input.t_max = cotdyn::core::resolve_t_max(c.config);
  input.gram = cotdyn::models::state_tracking::resolve_finite_size(c.config);
  input.pairs = cotdyn::models::state_tracking::compared_quantities(false, true);
  const auto& p = input.parameters;

  input.runs = nb::simulate_dims(c, dims, 5);
  c.log(fmt::format("the Gram flow at {} d, {} draws each", dims.size(), input.gram->draws));
  const cmp::CompareOutcome o = cmp::run_comparison(input);
  // The quantities the flow changes, each with its ODE and flow columns (models/state_tracking/model.hpp).
  const auto quantities = cotdyn::models::state_tracking::gram_pairs();

  // RMS against the ODE and against the flow, per quantity and d; the s.d. at t_max of the seeds
  // (ddof 1) and of the flow's draws.
  struct Point {
    double ode, flow, seed_sd, draw_sd;  // draw_sd NaN where the theory has no draw s.d. (M, alpha)
  };
  std::map<std::string, std::vector<Point>> points;
  for (std::size_t k = 0; k < dims.size(); ++k) {
    const auto& run = input.runs[k];
    const auto& theory = o.theory[k];
    const std::size_t last = run.times().size() - 1;
    for (const auto& pair : quantities) {
      const auto sd = theory.values.find(pair.flow + "_sd");
      points[pair.simulated].push_back({cmp::discrepancy(run, theory, {pair.simulated, pair.ode}).rms,
                                        cmp::discrepancy(run, theory, {pair.simulated, pair.flow}).rms,
                                        run.sample_std_dev(pair.simulated)[last],
                                        sd == theory.values.end() ? NAN : sd->second[last]});
    }
  }

  std::vector<double> dd(dims.begin(), dims.end());
  const cotdyn::plots::Range x_range{dd.front() / 1.3, dd.back() * 1.3};
  Figure figure;
  figure.name = "gram_flow";
  figure.title = fmt::format("The Gram flow against the ODE: d = {}, {} seeds, {} draws, t_{{max}} = {:g}",
                             nb::join(dims, ", "), input.runs.front().seeds.size(), input.gram->draws, input.t_max);
  figure.columns = 2;
  // One panel: per quantity a dashed line with open markers (the reference) and a solid one with
  // filled markers (the flow), each read from a Point by `open` and `filled`.
  // A quantity without a value in either series (no draw s.d.) is left out of the panel.
  const auto panel_of = [&](const std::string& title, const std::string& y_label,
                            const std::string& open_name, const std::string& filled_name, double Point::*open,
                            double Point::*filled) {
    Panel& panel = figure.add(Panel{});
    panel.title = title;
    panel.x_label = "embedding dimension d";
    panel.y_label = y_label;
    panel.log_x = panel.log_y = true;
    panel.x_tics = dd;
    panel.x_range = x_range;
    panel.key = cotdyn::plots::KeyPosition::outside_right;
    for (std::size_t k = 0; k < quantities.size(); ++k) {
      const auto& q = quantities[k].simulated;
      const auto colour = cotdyn::plots::palette_color(k);
      std::vector<double> a, b;
      for (const auto& pt : points[q]) {
        a.push_back(pt.*open);
        b.push_back(pt.*filled);
      }
      if (std::isnan(a.front()) || std::isnan(b.front())) continue;
      panel.add(Series::line(q + ": " + open_name, dd, a).with_color(colour).with_dash(2).with_points(6, 1.2));
      panel.add(Series::line(q + ": " + filled_name, dd, b).with_color(colour).with_points(7, 1.2));
    }
  };
  panel_of("(a) RMS over t of |seed mean - theory|: ODE (open), Gram flow (filled)", "RMS", "ODE", "Gram",
           &Point::ode, &Point::flow);
  panel_of("(b) scatter at t_{max}: seeds (open) against the flow's draws (filled)", "standard deviation", "seeds",
           "draws", &Point::seed_sd, &Point::draw_sd);
  figure.panel_width_in = 7.6;
  const std::string stem = c.save(figure);

  std::vector<std::vector<std::string>> rows;
  nlohmann::json& r = c.manifest.results();
  std::map<std::string, std::string> removed_list;  // per quantity: "+79 % (32), ..."
  for (const auto& pair : quantities)
    for (std::size_t k = 0; k < dims.size(); ++k) {
      const std::string& q = pair.simulated;
      const auto& pt = points[q][k];
      const double removed = 1 - pt.flow / pt.ode;
      removed_list[q] += fmt::format("{}{:+.0f} % ({})", removed_list[q].empty() ? "" : ", ", 100 * removed, dims[k]);
      rows.push_back({q, std::to_string(dims[k]), nb::sig(pt.ode, 3), nb::sig(pt.flow, 3),
                      fmt::format("{:+.0f} %", 100 * removed), nb::sig(pt.seed_sd, 2),
                      std::isnan(pt.draw_sd) ? "—" : nb::sig(pt.draw_sd, 2)});
      r["rms"][q][std::to_string(dims[k])] = {{"ode", nb::json_number(pt.ode)}, {"gram", nb::json_number(pt.flow)},
                                              {"seed_sd", nb::json_number(pt.seed_sd)},
                                              {"draw_sd", nb::json_number(pt.draw_sd)}};
    }
  std::vector<std::vector<std::string>> lock_rows;
  for (std::size_t k = 0; k < dims.size(); ++k) {
    const double flow_lock = o.theory_results[k].gram_lock_on.empty() ? NAN : o.theory_results[k].gram_lock_on[0];
    lock_rows.push_back({std::to_string(dims[k]), nb::plus_minus(o.lock_on[k].mean, o.lock_on[k].std_dev, 2),
                         nb::fixed(o.ode_lock_on, 2), nb::fixed(flow_lock, 2)});
    r["lock_on"][std::to_string(dims[k])] = {{"seeds", nb::json_number(o.lock_on[k].mean)},
                                             {"gram", nb::json_number(flow_lock)}};
  }
  r["ode_lock_on_time"] = nb::json_number(o.ode_lock_on);

  c.report.summary(fmt::format(
      "Share of the RMS gap between seed mean and ODE that the Gram flow removes, per d in parentheses: R_c {}; "
      "R {}; Q_c {}. Negative: the flow is farther from the seed mean than the ODE.",
      removed_list["R_c"], removed_list["R"], removed_list["Q_c"]));
  c.report.paragraph(
      "**Question.** How much of the finite-d gap between the trained transformer and the mean-field ODE comes "
      "from the Gram matrices of the fixed random embeddings (docs/theory.md §4.8), and does their quenched "
      "randomness explain the seed-to-seed scatter of logit-space Q?");
  c.report.paragraph(fmt::format(
      "**Computation.** The transformer (S4, K = {}, n = {}, L = {}, batch {}, eta_W = {:g}, eta_A = {:g}, sigma2 = "
      "{:g}), coefficient storage, trained at d = {} for {} seeds each to t_max = {:g}; the ODE and the Gram flow "
      "({} draws per d, not the seeds' own embeddings) on the same {} times, through the compare library "
      "(`run_comparison` with `CompareInput::gram`).",
      p.K, p.n, p.L, c.config.get_integer("train.batch"), p.eta_W, p.eta_A, p.sigma2, nb::join(dims),
      input.runs.front().seeds.size(), input.t_max, input.gram->draws, input.runs.front().times().size()));
  c.report.figure(stem, "RMS discrepancy against the ODE and against the Gram flow per d, and the seeds' scatter "
                        "against the flow's draw-to-draw scatter at t_max");
  c.report.heading("RMS over the observation times, ODE against Gram flow");
  c.report.table({"quantity", "d", "RMS vs ODE", "RMS vs Gram", "removed", "seed s.d. at t_max", "draw s.d. at t_max"},
                 rows);
  c.report.heading("Lock-on time");
  c.report.table({"d", "seeds (mean ± s.d.)", "ODE", "Gram flow (draw mean)"}, lock_rows);
  const int draws = input.gram->draws;
  c.report.paragraph(fmt::format(
      "**What to look for.** A negative 'removed' is a quantity the flow moves away from the seed mean; where the "
      "ODE already sits within the seed mean's own scatter the flow cannot do better. The seeds' and the draws' "
      "s.d. agree if the quenched Gram matrices are the source of the scatter; the seeds' is larger by the SGD "
      "noise. {} draws estimate an s.d. to about ±{:.0f} % (1/√(2({} − 1))), {} seeds theirs to ±{:.0f} %.",
      draws, 100 / std::sqrt(2.0 * (draws - 1)), draws, input.runs.front().seeds.size(),
      100 / std::sqrt(2.0 * (input.runs.front().seeds.size() - 1.0))));
}

}  // namespace

int main(int argc, char** argv) {
  return nb::run(argc, argv,
                 {"16_gram_flow", "Notebook 16 — The finite-d Gram flow against the ODE and the simulation",
                  "How much of the finite-d gap the Gram matrices of the embeddings explain, d = 32 … 1024.",
                  [](bool reduced) {
                    if (reduced)
                      return std::vector<std::string>{"task.L=5", "train.eta_A=8.0", "train.t_max=10.0",
                                                      "train.seeds=2", "observe.times=\"linear:0:t_max:11\"",
                                                      "theory.finite_size=\"gram\"", "theory.gram_draws=2"};
                    return std::vector<std::string>{"model.logic=\"coefficients\"", "train.seeds=10",
                                                    "theory.finite_size=\"gram\"", "theory.gram_draws=8"};
                  },
                  body});
}
