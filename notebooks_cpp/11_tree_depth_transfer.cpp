// Notebook 11 — Tree path-finding: do trained networks solve trees of other depths?
//
// The network has no positional encoding: a query sees its keys only through their symbols and stage
// tags (docs/models/tree.md §2), so tables trained on trees of depth D = 3 can be run unchanged on
// trees of depth D' with the same alphabet. At d = ∞ the theory says the trained forward solution is
// exactly correct at D' = 1, 2, 3 (§6.2, checked in the test suite at the ODE's θ(250)); docs/models/tree.md
// §11.1 leaves open whether the networks trained at finite d transfer too. This notebook trains the
// forward task at D = 3 (N = 20, the defaults) at several d and evaluates each seed's final tables on
// fresh trees of depth D' = 1, 2, 3 (every N = 20 tree of another depth is unseen; at D' = 3 the
// evaluation trees are disjoint from the training stream, §10.3):
//
//   (a) exact match of the rollout against D' per d, with the d = ∞ prediction of the ODE's θ(t_max);
//   (b) per-step accuracy (teacher forced) against D'.
//
// What to look for: if the mechanism is the one of the theory (retrieve the edge whose child is the
// current node, then the edge whose parent is it), shallower trees need fewer correct steps and should
// be solved at least as well as D = 3.
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include <cotdyn/meanfield/tree/integrate.hpp>
#include <cotdyn/meanfield/tree/milestones.hpp>
#include <cotdyn/meanfield/tree/ode.hpp>
#include <cotdyn/notebooks_cpp/notebook.hpp>
#include <cotdyn/simulation/tree/network.hpp>
#include <cotdyn/simulation/tree/system.hpp>
#include <cotdyn/simulation/tree/table_kernel.hpp>

namespace nb = cotdyn::notebook;
namespace mf = cotdyn::meanfield::tree;
namespace st = cotdyn::simulation::tree;
using cotdyn::plots::Figure;
using cotdyn::plots::Panel;
using cotdyn::plots::Series;

namespace {

struct Transfer {
  std::vector<double> exact, step;  // per seed
};

void body(nb::Context& c) {
  const bool reduced = c.options.reduced;
  const std::vector<int> dims = reduced ? std::vector<int>{24} : std::vector<int>{32, 64, 128};
  const std::vector<int> depths = {1, 2, 3};
  const double t_max = reduced ? 20 : 250;
  const int seeds = reduced ? 2 : 5, eval_size = reduced ? 100 : 1000;

  // The d = infinity prediction: the ODE's theta(t_max) evaluated on the canonical sample of depth D'.
  const auto base = mf::default_parameters(mf::Task::forward);
  const auto theta = mf::integrate(base, {t_max}).state(0);
  std::vector<double> ode_exact, ode_step;
  for (int D : depths) {
    auto p = base;
    p.D = D;
    const mf::TreeOde ode(p);
    const auto a = mf::accuracy(ode.sample(), ode.forward(theta).logits);
    ode_exact.push_back(a.exact_match ? 1.0 : 0.0);
    ode_step.push_back(a.per_step);
  }

  // Train each d (all seeds batched, every core), then evaluate the final tables at every depth.
  std::vector<std::vector<Transfer>> results(dims.size(), std::vector<Transfer>(depths.size()));
  for (std::size_t k = 0; k < dims.size(); ++k) {
    st::TreeSettings s = st::default_settings(st::Task::forward);
    s.d = dims[k];
    s.seeds = seeds;
    s.eval_size = 1;  // the evaluation below is the notebook's own
    s.threads = 1;  // more threads do not pay off at these sizes (BENCHMARKS.md)
    st::TreeSystem system(s);
    const auto steps = static_cast<std::int64_t>(std::llround(t_max * s.d));
    c.log(fmt::format("training d = {} ({} seeds, {} steps)", s.d, seeds, steps));
    for (std::int64_t n = 0; n < steps; ++n) system.train_step();
    const auto M = system.network().logit_tables().contiguous();
    const std::size_t per_seed = std::size_t(s.H) * st::blocks_per_head * s.N * s.N;
    for (std::size_t i = 0; i < depths.size(); ++i) {
      const st::TreeTask task{st::Task::forward, s.N, depths[i]};
      const auto trees = st::fresh_samples(task, eval_size, 777 + depths[i]);
      for (int e = 0; e < seeds; ++e) {
        st::EvaluationSums sums;
        st::evaluate_samples({M.data_ptr<double>() + e * per_seed, s.H, s.N}, task, trees, 0, trees.size(), sums);
        results[k][i].exact.push_back(sums.exact / trees.size());
        results[k][i].step.push_back(sums.correct / trees.size());
      }
    }
  }

  const auto mean_sd = [](const std::vector<double>& v) {
    double m = 0, q = 0;
    for (double x : v) m += x / v.size();
    for (double x : v) q += (x - m) * (x - m) / v.size();
    return std::pair{m, std::sqrt(q)};
  };

  Figure figure;
  figure.name = "tree_depth_transfer";
  figure.title = fmt::format("Networks trained on depth-3 trees (N = 20, t = {}), run on fresh trees of depth D'", t_max);
  figure.columns = 2;
  const std::vector<double> x(depths.begin(), depths.end());
  for (int which = 0; which < 2; ++which) {
    Panel& panel = figure.add(Panel{});
    panel.title = which == 0 ? "(a) exact match of the rollout" : "(b) per-step accuracy (teacher forced)";
    panel.x_label = "tree depth D'";
    panel.y_label = which == 0 ? "exact match" : "per-step accuracy";
    panel.x_tics = x;
    panel.x_range = {0.7, 3.3};
    panel.key = cotdyn::plots::KeyPosition::bottom_left;
    panel.add(Series::line("ODE (d = {/Symbol \\245})", x, which == 0 ? ode_exact : ode_step).with_color("#000000").with_dash(2));
    for (std::size_t k = 0; k < dims.size(); ++k) {
      std::vector<double> m, sd;
      for (const auto& r : results[k]) {
        const auto [mean, s] = mean_sd(which == 0 ? r.exact : r.step);
        m.push_back(mean);
        sd.push_back(s);
      }
      panel.add(Series::error_bars(fmt::format("d = {}", dims[k]), x, m, sd)
                    .with_color(cotdyn::plots::palette_color(k))
                    .with_points(7, 1.0));
    }
  }
  const std::string stem = c.save(figure);

  nlohmann::json json;
  std::vector<std::vector<std::string>> rows;
  for (std::size_t k = 0; k < dims.size(); ++k)
    for (std::size_t i = 0; i < depths.size(); ++i) {
      const auto [exact, exact_sd] = mean_sd(results[k][i].exact);
      const auto [step, step_sd] = mean_sd(results[k][i].step);
      rows.push_back({std::to_string(dims[k]), std::to_string(depths[i]), nb::plus_minus(exact, exact_sd, 3),
                      nb::plus_minus(step, step_sd, 3), nb::fixed(ode_exact[i], 0)});
      json[std::to_string(dims[k])][std::to_string(depths[i])] = {{"exact_match", results[k][i].exact},
                                                                   {"step_accuracy", results[k][i].step}};
    }
  for (std::size_t i = 0; i < depths.size(); ++i) json["ode_exact_match"][std::to_string(depths[i])] = ode_exact[i];

  const auto [shallow, shallow_sd] = mean_sd(results.front().front().exact);
  const auto [trained, trained_sd] = mean_sd(results.front().back().exact);
  c.report.summary(fmt::format(
      "Trained on depth-3 trees, the networks at d = {} roll out depth-1 trees exactly in {} of cases and depth-3 "
      "trees in {}; the ODE's solution at t = {} solves depth {} exactly.",
      dims.front(), nb::plus_minus(shallow, shallow_sd, 3), nb::plus_minus(trained, trained_sd, 3), t_max,
      nb::join(std::vector<int>(depths.begin(), depths.end()))));
  c.report.paragraph(
      "**Question.** The network has no positional encoding, so tables trained on depth-3 trees can be run on trees "
      "of any depth with the same alphabet. Does the mechanism the theory describes (docs/models/tree.md §2, §6.2) "
      "carry over to other depths in the trained networks at finite d, as it does at d = ∞?");
  c.report.paragraph(fmt::format(
      "**Computation.** The forward task at the defaults (N = 20, D = 3, two heads, η = 10, ε = 0.2), {} seeds per d "
      "trained to t = {} in coefficient storage; each seed's final logit tables run on {} fresh trees of depth "
      "D' = 1, 2, 3 (rollout: each output becomes the next token). The d = ∞ line is the ODE's θ(t = {}) on the "
      "canonical sample of depth D'.",
      seeds, t_max, eval_size, t_max));
  c.report.figure(stem, "(a) exact match and (b) per-step accuracy against the depth D' of the evaluation trees");
  c.report.table({"d", "D'", "exact match", "per-step accuracy", "ODE exact match"}, rows);
  c.report.paragraph(
      "**What to look for.** The d = ∞ solution is exact at every D' shown. At finite d the errors of a rollout "
      "are per step, so a shallower tree, with fewer steps, should be solved at least as often as the trained depth; "
      "a drop at D' < 3 would mean the networks learnt something depth-specific that the theory does not have.");
  c.manifest.results() = json;
  c.manifest.json()["threads"]["used"] = 1;
}

}  // namespace

int main(int argc, char** argv) {
  return nb::run(argc, argv,
                 {"11_tree_depth_transfer", "Notebook 11 — Tree path-finding: trained networks on trees of other depths",
                  "Networks trained on depth-3 trees run on fresh trees of depth 1, 2 and 3, against the ODE.",
                  nullptr, body});
}
