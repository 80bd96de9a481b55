// Notebook 15 — Two-hop reasoning: the sampling-rate law of the OOD atomic facts (prediction P-b3).
//
// OOD facts appear in training only as atomic rows, never inside a two-hop (docs/models/two_hop.md
// §1.2, §3). A batch of B rows drawn uniformly from |A| atomic rows and n_tr = round(λ |A_ID|) two-hop
// rows shows each atomic fact B / (|A| + n_tr) times per update, so if the OOD facts are learned at a
// fixed number of views, the update at which their accuracy (ood_atomic) crosses 1/2 scales as the λ
// factor (|A| + n_tr) / |A| = 1 + λ (1 − ρ) (docs/models/two_hop.md §8, P-b3; cotdyn's own
// prediction). And the OOD two-hops (test_inferred_ood) can only be answered once both of their facts
// are known, so their curve should lag ood_atomic.
//
// The notebook trains the CoT and no-CoT arms (the model's own system, several seeds) at three λ and
// measures each seed's crossing of 1/2 (linear interpolation between evaluations); the law predicts
// the ratio of the half-times of two λ without a fitted constant.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include <cotdyn/models/registry.hpp>
#include <cotdyn/models/schedule.hpp>
#include <cotdyn/models/two_hop/comparison_additions.hpp>
#include <cotdyn/notebooks_cpp/notebook.hpp>
#include <cotdyn/simulation/training_loop.hpp>

namespace nb = cotdyn::notebook;
using cotdyn::plots::Figure;
using cotdyn::plots::Panel;
using cotdyn::plots::Series;

namespace {

struct Run {
  double lambda = 0;
  double factor = 0;                          // 1 + λ (1 − ρ), from the model's theory
  std::vector<double> t;                      // evaluation steps
  std::vector<std::vector<double>> ood_atomic, test_ood;  // per seed, CoT arm
  std::vector<double> half;                   // per seed, the step at which ood_atomic crosses 1/2
};

std::vector<double> mean_over(const std::vector<std::vector<double>>& per_seed) {
  std::vector<double> mean(per_seed.front().size(), 0.0);
  for (const auto& s : per_seed)
    for (std::size_t i = 0; i < mean.size(); ++i) mean[i] += s[i] / per_seed.size();
  return mean;
}

double mean_of(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x / v.size();
  return s;
}

double sd_of(const std::vector<double>& v) {
  const double m = mean_of(v);
  double s = 0;
  for (double x : v) s += (x - m) * (x - m) / v.size();
  return std::sqrt(s);
}

void body(nb::Context& c) {
  const bool reduced = c.options.reduced;
  const std::vector<double> lambdas = reduced ? std::vector<double>{0.5, 1.0} : std::vector<double>{1.8, 3.6, 7.2};
  const auto& model = cotdyn::models::model_named("two_hop");
  // train.t_max and observe.times follow two_hop.steps and two_hop.eval_every (the model's derived keys).
  for (const auto& derived : model.derived_keys(c.config)) c.set(derived.assignment);
  std::vector<Run> runs;
  for (double lambda : lambdas) {
    auto config = c.config;
    config.apply_set(fmt::format("two_hop.lambda={:.17g}", lambda));
    c.log(fmt::format("training lambda = {} ({} seeds, both arms)", lambda, config.get_integer("train.seeds")));
    auto system = model.simulated_system(config);
    cotdyn::simulation::RunOptions options;
    options.progress = false;
    const auto schedule = cotdyn::models::schedule(model, config);
    const auto result = cotdyn::simulation::train(*system, schedule, options);
    Run run;
    run.lambda = lambda;
    run.factor = model.theory(config, {}).milestone("lambda_factor");
    for (int e = 0; e < system->num_seeds(); ++e) {
      std::vector<double> t, ood, test;
      for (const auto& row : result.measurements) {
        if (row.seed != schedule.base_seed + std::uint64_t(e)) continue;
        t.push_back(row.t);
        ood.push_back(result.value(row, "ood_atomic_cot"));
        test.push_back(result.value(row, "test_inferred_ood_cot"));
      }
      run.t = t;
      run.half.push_back(cotdyn::models::two_hop::crossing_time(t, ood, 0.5));
      run.ood_atomic.push_back(ood);
      run.test_ood.push_back(test);
    }
    runs.push_back(run);
  }
  c.log("done");

  Figure figure;
  figure.name = "two_hop_lambda";
  figure.title = "Two-hop, CoT arm: do the OOD atomic facts follow the atomic rows' sampling rate? (P-b3)";
  figure.columns = 2;
  Panel a;
  a.title = "(a) ood\\_atomic (solid) and test\\_inferred\\_ood (dashed), seed means";
  a.x_label = "AdamW updates";
  a.y_label = "accuracy";
  a.y_range = {0.0, 1.05};
  a.key = cotdyn::plots::KeyPosition::bottom_right;
  for (std::size_t k = 0; k < runs.size(); ++k) {
    const auto colour = cotdyn::plots::palette_color(k);
    a.add(Series::line(fmt::format("{{/Symbol l}} = {}", runs[k].lambda), runs[k].t, mean_over(runs[k].ood_atomic))
              .with_color(colour)
              .with_points(7, 0.5));
    a.add(Series::line("", runs[k].t, mean_over(runs[k].test_ood)).with_color(colour).with_dash(2));
  }
  Panel b;
  b.title = "(b) half-time of ood\\_atomic against the {/Symbol l} factor";
  b.x_label = "1 + {/Symbol l} (1 - {/Symbol r})";
  b.y_label = "update at which ood\\_atomic crosses 1/2";
  b.key = cotdyn::plots::KeyPosition::top_left;
  std::vector<double> x, y, err;
  for (const auto& r : runs) {
    x.push_back(r.factor);
    y.push_back(mean_of(r.half));
    err.push_back(sd_of(r.half));
  }
  b.add(Series::error_bars("measured (seed mean, bars = 1 s.d.)", x, y, err).with_color(cotdyn::plots::palette_color(0)).with_points(7, 1.0));
  // The law through the smallest λ's point: t_1/2 proportional to the factor, no further constant.
  const double slope = y.front() / x.front();
  std::vector<double> lx = {0.0, x.back() * 1.05}, ly = {0.0, slope * x.back() * 1.05};
  b.add(Series::line("proportional law through the smallest {/Symbol l}", lx, ly).with_color("#000000").with_dash(2));
  figure.panels = {a, b};
  const std::string stem = c.save(figure);

  const double predicted = runs.back().factor / runs.front().factor;
  const double measured = y.back() / y.front();
  std::vector<std::vector<std::string>> rows;
  nlohmann::json results;
  for (const auto& r : runs) {
    std::vector<std::string> per_seed;
    for (double h : r.half) per_seed.push_back(nb::fixed(h, 0));
    const double final_ood = mean_over(r.test_ood).back();
    rows.push_back({nb::fixed(r.lambda, 1), nb::fixed(r.factor, 3), nb::plus_minus(mean_of(r.half), sd_of(r.half), 0),
                    nb::join(per_seed), nb::fixed(mean_of(r.half) / r.factor, 1), nb::fixed(final_ood, 3)});
    results[fmt::format("lambda_{}", r.lambda)] = {{"factor", r.factor}, {"half_time_mean", nb::json_number(mean_of(r.half))},
                                                   {"half_time_sd", nb::json_number(sd_of(r.half))},
                                                   {"final_test_inferred_ood", final_ood}};
  }
  results["ratio_predicted"] = predicted;
  results["ratio_measured"] = nb::json_number(measured);
  c.manifest.results() = results;
  c.report.summary(fmt::format("The half-time of the OOD atomic facts grows {}x from lambda = {} to {}; the sampling-rate "
                               "law predicts {}x.",
                               nb::fixed(measured, 2), runs.front().lambda, runs.back().lambda, nb::fixed(predicted, 2)));
  c.report.figure(stem, "(a) the CoT arm's ood_atomic and test_inferred_ood accuracy at each λ; (b) the update at which "
                        "ood_atomic crosses 1/2 against the λ factor, with the proportional law through the smallest λ.");
  c.report.table({"λ", "1 + λ(1 − ρ)", "half-time (mean ± s.d.)", "per seed", "half-time / factor",
                  "final test_inferred_ood"},
                 rows);
  c.report.paragraph(fmt::format(
      "Prediction P-b3 (docs/models/two_hop.md §8): the half-times scale as the λ factor, so their ratio between λ = {} and "
      "λ = {} is {}. Measured: {}. A ratio below the prediction means the OOD facts need fewer views when more two-hop "
      "rows are trained (shared structure helps); above it, more.",
      runs.front().lambda, runs.back().lambda, nb::fixed(predicted, 2), nb::fixed(measured, 2)));
}

}  // namespace

int main(int argc, char** argv) {
  return nb::run(argc, argv,
                 {"15_two_hop_lambda",
                  "Notebook 15 — Two-hop reasoning: the sampling-rate law of the OOD atomic facts",
                  "The CoT arm's OOD atomic facts against lambda: half-times against 1 + lambda (1 - rho) (P-b3).",
                  [](bool reduced) {
                    if (reduced)
                      return std::vector<std::string>{
                          "model.kind=two_hop", "two_hop.entities=60", "two_hop.relations=8", "two_hop.out_degree=4",
                          "two_hop.ood_ratio=0.2", "two_hop.width=32", "two_hop.heads=2", "two_hop.layers=1",
                          "two_hop.batch=64", "two_hop.steps=240", "two_hop.eval_every=20", "two_hop.lens_items=10",
                          "two_hop.lr=1e-2", "train.seeds=2"};
                    return std::vector<std::string>{"model.kind=two_hop", "train.seeds=3"};
                  },
                  body});
}
