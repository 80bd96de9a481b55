#include <cotdyn/models/two_hop/comparison_additions.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include <cotdyn/models/two_hop/settings_of.hpp>
#include <cotdyn/plots/plots.hpp>
#include <cotdyn/simulation/two_hop/settings.hpp>
#include <cotdyn/simulation/two_hop/task_data.hpp>

namespace cotdyn::models::two_hop {

namespace {

namespace sim = simulation::two_hop;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string cell(double x) { return std::isfinite(x) ? fmt::format("{:.6g}", x) : ""; }
std::string number(double x) { return std::isfinite(x) ? fmt::format("{:.3g}", x) : "n/a"; }
std::string verdict(bool ok) { return ok ? "holds" : "fails"; }

// The logit-lens positions: column stem, label.
struct LensPosition {
  const char* stem;
  const char* label;
};
const std::vector<LensPosition> kLens = {{"lens_b_r1", "b at r1"}, {"lens_b_r2", "b at r2"}, {"lens_t_b", "t at b"}};

std::vector<double> lens_at(const ComparedSize& size, const std::string& stem, const std::string& arm, std::size_t row,
                            bool sd = false) {
  std::vector<double> out;
  for (int l = 0; l <= size.size; ++l) {
    const auto column = fmt::format("{}_{}_{}", stem, arm, l);
    out.push_back(sd ? size.std_dev(column)[row] : size.mean(column)[row]);
  }
  return out;
}

// The seed mean (or s.d.) of the bypass at `position` for blocks 1 ... size.size, at evaluation `row`.
std::vector<double> bypass_at(const ComparedSize& size, const std::string& position, sim::Arm arm, std::size_t row,
                              bool sd = false) {
  std::vector<double> out;
  for (int l = 1; l <= size.size; ++l) {
    const auto column = sim::bypass_column(position, arm, l);
    out.push_back(sd ? size.std_dev(column)[row] : size.mean(column)[row]);
  }
  return out;
}

bool has_column(const ComparedSize& size, const std::string& column) {
  const auto& c = size.measured.front().columns;
  return std::find(c.begin(), c.end(), column) != c.end();
}

}  // namespace

double crossing_time(const std::vector<double>& t, const std::vector<double>& values, double level) {
  for (std::size_t i = 0; i < t.size() && i < values.size(); ++i) {
    if (!(values[i] >= level)) continue;
    if (i == 0) return t[0];
    const double a = values[i - 1], b = values[i];
    return t[i - 1] + (t[i] - t[i - 1]) * (level - a) / (b - a);
  }
  return kNaN;
}

int readable_block(const std::vector<double>& mrr_per_block, double level) {
  for (std::size_t l = 0; l < mrr_per_block.size(); ++l)
    if (mrr_per_block[l] >= level) return int(l);
  return int(mrr_per_block.size());
}

std::string depth_trend(const std::vector<double>& per_block) {
  if (per_block.size() < 2) return "one block";
  bool falls = true, rises = true;
  for (std::size_t l = 1; l < per_block.size(); ++l) {
    falls = falls && per_block[l] < per_block[l - 1];
    rises = rises && per_block[l] > per_block[l - 1];
  }
  return falls ? "falls" : rises ? "rises" : "neither";
}

ComparisonAdditions comparison_additions(const core::Config& config, const std::vector<ComparedSize>& sizes) {
  ComparisonAdditions out;
  if (sizes.empty()) return out;
  const auto settings = settings_of(config);
  const auto& probes = sim::probe_names();

  // ---- accuracy.csv and lens.csv (seed means) ----
  std::vector<std::string> columns = {"layers", "arm", "step", "loss"};
  for (const auto& p : probes) columns.push_back(p);
  columns.push_back("bridge_ood");
  core::CsvTable accuracy(columns);
  core::CsvTable lens({"layers", "arm", "step", "position", "block", "mrr_mean", "mrr_sd"});
  for (const auto& size : sizes) {
    const auto t = size.measured.front().column("t");
    for (auto arm : sim::all_arms()) {
      const std::string a = sim::to_string(arm);
      std::vector<std::vector<double>> series = {size.mean("loss_" + a)};
      for (const auto& p : probes) series.push_back(size.mean(p + "_" + a));
      series.push_back(size.mean("bridge_ood_" + a));
      for (std::size_t i = 0; i < t.size(); ++i) {
        std::vector<std::string> row = {std::to_string(size.size), a, fmt::format("{:.0f}", t[i])};
        for (const auto& s : series) row.push_back(cell(s[i]));
        accuracy.add_row(row);
        for (const auto& position : kLens) {
          if (!has_column(size, fmt::format("{}_{}_0", position.stem, a))) continue;
          const auto mean = lens_at(size, position.stem, a, i), sd = lens_at(size, position.stem, a, i, true);
          for (std::size_t l = 0; l < mean.size(); ++l)
            lens.add_row(std::vector<std::string>{std::to_string(size.size), a, fmt::format("{:.0f}", t[i]),
                                                  position.stem + 5, std::to_string(l), cell(mean[l]), cell(sd[l])});
        }
      }
    }
  }
  // ---- bypass.csv (seed means and s.d. per block, docs/models/two_hop.md §7) ----
  core::CsvTable bypass({"layers", "arm", "step", "position", "block", "bypass_mean", "bypass_sd"});
  for (const auto& size : sizes) {
    const auto t = size.measured.front().column("t");
    for (auto arm : sim::all_arms())
      for (const auto& position : sim::bypass_positions(arm)) {
        if (!has_column(size, sim::bypass_column(position, arm, 1))) continue;
        for (std::size_t i = 0; i < t.size(); ++i) {
          const auto mean = bypass_at(size, position, arm, i), sd = bypass_at(size, position, arm, i, true);
          for (std::size_t l = 0; l < mean.size(); ++l)
            bypass.add_row(std::vector<std::string>{std::to_string(size.size), sim::to_string(arm),
                                                    fmt::format("{:.0f}", t[i]), position, std::to_string(l + 1),
                                                    cell(mean[l]), cell(sd[l])});
        }
      }
  }
  out.tables.push_back({"accuracy.csv", accuracy});
  out.tables.push_back({"lens.csv", lens});
  out.tables.push_back({"bypass.csv", bypass});

  // ---- Figures: accuracy curves per arm, and the logit lens at the last evaluation ----
  {
    plots::Figure figure;
    figure.name = "two_hop_accuracy";
    figure.title = "greedy accuracy per probe set (seed mean, bars = 1 s.d.)";
    figure.columns = 2;
    for (const auto& size : sizes)
      for (auto arm : sim::all_arms()) {
        const std::string a = sim::to_string(arm);
        plots::Panel panel;
        panel.title = fmt::format("{}, {} layers", arm == sim::Arm::cot ? "CoT" : "no CoT", size.size);
        panel.x_label = "AdamW updates";
        panel.y_label = "accuracy";
        panel.y_range = {0.0, 1.05};
        panel.key = plots::KeyPosition::below;
        const auto t = size.measured.front().column("t");
        std::size_t colour = 0;
        std::vector<std::string> shown = {"id_atomic", "ood_atomic", "train_inferred", "test_inferred_iid",
                                          "test_inferred_ood", "ood_first_only", "ood_second_only"};
        if (arm == sim::Arm::cot) shown.push_back("bridge_ood");
        for (const auto& p : shown) {
          const auto mean = size.mean(p + "_" + a);
          if (std::none_of(mean.begin(), mean.end(), [](double x) { return std::isfinite(x); })) {
            ++colour;
            continue;
          }
          const auto colour_of = plots::palette_color(colour++);
          panel.add(plots::Series::error_bars("", t, mean, size.std_dev(p + "_" + a)).with_color(colour_of));
          panel.add(plots::Series::line(plots::literal(p), t, mean).with_color(colour_of).with_points(7, 0.5));
        }
        figure.panels.push_back(panel);
      }
    out.figures.push_back(figure);
  }
  {
    plots::Figure figure;
    figure.name = "two_hop_lens";
    figure.title = "logit lens at the last evaluation (seed mean, bars = 1 s.d.)";
    figure.columns = std::min<std::size_t>(3, sizes.size());
    for (const auto& size : sizes) {
      plots::Panel panel;
      panel.title = fmt::format("{} layers, step {:.0f}", size.size, size.measured.front().column("t").back());
      panel.x_label = "block (0 = embeddings)";
      panel.y_label = "MRR of the right entity";
      for (int l = 0; l <= size.size; ++l) panel.x_tics.push_back(l);
      panel.y_range = {0.0, 1.05};
      panel.key = plots::KeyPosition::below;
      const std::size_t last = size.measured.front().rows.size() - 1;
      std::vector<double> blocks;
      for (int l = 0; l <= size.size; ++l) blocks.push_back(l);
      std::size_t colour = 0;
      for (auto arm : sim::all_arms())
        for (const auto& position : kLens) {
          const std::string a = sim::to_string(arm);
          if (!has_column(size, fmt::format("{}_{}_0", position.stem, a))) continue;
          const auto c = plots::palette_color(colour++);
          const auto mean = lens_at(size, position.stem, a, last);
          panel.add(plots::Series::error_bars("", blocks, mean, lens_at(size, position.stem, a, last, true)).with_color(c));
          panel.add(plots::Series::line(fmt::format("{}, {}", arm == sim::Arm::cot ? "CoT" : "no CoT", position.label),
                                        blocks, mean)
                        .with_color(c)
                        .with_points(7, 0.8));
        }
      figure.panels.push_back(panel);
    }
    out.figures.push_back(figure);
  }

  // ---- Predictions (docs/models/two_hop.md §8) ----
  const auto final_mean = [](const ComparedSize& size, const std::string& column) { return size.mean(column).back(); };
  const ComparedSize& main = *std::max_element(sizes.begin(), sizes.end(),
                                               [](const auto& a, const auto& b) { return a.size < b.size; });
  const auto t = main.measured.front().column("t");
  const std::string depth = fmt::format("{} layers", main.size);
  {  // P-b1: OOD two-hop generalisation with CoT only
    const double cot = final_mean(main, "test_inferred_ood_cot");
    const auto no_cot = main.mean("test_inferred_ood_no_cot");
    const double no_cot_max = *std::max_element(no_cot.begin(), no_cot.end());
    out.predictions.push_back(
        {"P-b1 CoT generalises out of distribution, no-CoT does not",
         "final test_inferred_ood with CoT >= 0.2; without CoT <= 0.05 at every evaluation (prototype, 2 blocks: 0.56 "
         "and 0.00)",
         fmt::format("{}: CoT {} at step {:.0f}; no-CoT at most {}", depth, number(cot), t.back(), number(no_cot_max)),
         std::isfinite(cot) ? verdict(cot >= 0.2 && no_cot_max <= 0.05) : "not tested"});
  }
  {  // P-b1: CoT converges faster on the trained two-hops
    std::string measured;
    std::vector<double> medians;
    for (auto arm : sim::all_arms()) {
      const std::string a = sim::to_string(arm);
      std::vector<double> per_seed;
      std::string list;
      for (const auto& m : main.measured) {
        per_seed.push_back(first_reach(m.column("t"), m.column("train_inferred_" + a), sim::kConvergedAccuracy));
        list += (list.empty() ? "" : "/") + (std::isfinite(per_seed.back()) ? fmt::format("{:.0f}", per_seed.back()) : "n.r.");
      }
      medians.push_back(median_with_unreached(per_seed));
      measured += fmt::format("{}{}: [{}]", measured.empty() ? "" : "; ", a, list);
    }
    const bool ok = std::isfinite(medians[0]) && (!std::isfinite(medians[1]) || medians[0] < medians[1]);
    out.predictions.push_back({"P-b1 CoT reaches 0.9 on the trained two-hops first",
                               "median steps to 0.9 train_inferred: CoT smaller than no-CoT (n.r. = not reached; "
                               "prototype: CoT 300-600, no-CoT not reached in 1500)",
                               depth + ", " + measured, verdict(ok)});
  }
  {  // P-b2: the two CoT stages are independent lookups
    const double ood = final_mean(main, "test_inferred_ood_cot"), first = final_mean(main, "ood_first_only_cot"),
                 second = final_mean(main, "ood_second_only_cot");
    const bool measurable = std::isfinite(ood) && std::isfinite(first) && std::isfinite(second);
    out.predictions.push_back(
        {"P-b2 product rule for CoT",
         "acc(test_inferred_ood) = acc(ood_first_only) x acc(ood_second_only) within 0.1 at the last evaluation "
         "(prototype: 0.56 against 0.58, 0.81 against 0.88)",
         measurable ? fmt::format("{}: {} against {} x {} = {}", depth, number(ood), number(first), number(second),
                                  number(first * second))
                    : "the task data has no one-hop-OOD sets (a dataset directory)",
         measurable ? verdict(std::abs(ood - first * second) <= 0.1) : "not tested"});
    out.predictions.push_back(
        {"P-b2 the first OOD hop generalises before the second",
         "acc(ood_first_only) > acc(ood_second_only) with CoT at the last evaluation (prototype: 1.0 against 0.58)",
         measurable ? fmt::format("{}: {} against {}", depth, number(first), number(second))
                    : "the task data has no one-hop-OOD sets",
         measurable ? verdict(first > second) : "not tested"});
  }
  {  // P-b3: sampling-rate law
    const auto ood_atomic = main.mean("ood_atomic_cot");
    const double half = crossing_time(t, ood_atomic, 0.5);
    const auto& milestones = main.theory.milestones;
    double factor = kNaN;
    for (const auto& m : milestones)
      if (m.name == "lambda_factor") factor = m.value;
    out.predictions.push_back(
        {"P-b3 OOD facts are learned at the atomic rows' sampling rate",
         "the step at which ood_atomic crosses 1/2 scales as 1 + lambda (1 - rho) across a lambda sweep "
         "(predicted ratio lambda = 7.2 over 1.8: 2.85); one run gives one point, notebook 15 runs the sweep",
         fmt::format("{}, CoT: ood_atomic crosses 1/2 at step {} with lambda factor {}; step / factor = {}", depth,
                     number(half), number(factor), number(half / factor)),
         "not tested"});
  }
  {  // P-b4: the bridge becomes readable at a shallower block with CoT
    const std::size_t last = main.measured.front().rows.size() - 1;
    const int cot = readable_block(lens_at(main, "lens_b_r1", "cot", last), 0.5);
    const int no_cot = readable_block(lens_at(main, "lens_b_r1", "no_cot", last), 0.5);
    auto name = [&](int l) { return l > main.size ? std::string("never") : fmt::format("block {}", l); };
    out.predictions.push_back(
        {"P-b4 CoT resolves the bridge at a shallower block",
         "first block at which the MRR of b at the r1 position reaches 0.5, last evaluation: CoT before no-CoT (the "
         "public code's 8-layer CoT model: after block 3 of 8)",
         fmt::format("{}: CoT {}, no-CoT {}", depth, name(cot), name(no_cot)), verdict(cot < no_cot)});
  }
  {  // P-b5: depth
    const auto one = std::find_if(sizes.begin(), sizes.end(), [](const auto& s) { return s.size == 1; });
    if (one == sizes.end()) {
      out.predictions.push_back({"P-b5 one block suffices with CoT, not without",
                                 "needs 1 in compare.d (the depth sweep compare.d = [1, 2, 4])", "not run", "not tested"});
    } else {
      const double cot = final_mean(*one, "test_inferred_iid_cot"), no_cot = final_mean(*one, "test_inferred_iid_no_cot");
      out.predictions.push_back({"P-b5 one block suffices with CoT, not without",
                                 "with 1 block: final test_inferred_iid >= 0.9 with CoT and <= 0.1 without",
                                 fmt::format("CoT {}, no-CoT {}", number(cot), number(no_cot)),
                                 std::isfinite(cot) ? verdict(cot >= 0.9 && no_cot <= 0.1) : "not tested"});
    }
  }

  // ---- Report and results ----
  out.report = "## Two-hop reasoning: CoT against no-CoT\n\n";
  out.report += fmt::format("Task data: {}. Accuracies are greedy and exact (docs/models/two_hop.md §4); seed means over "
                            "{} seeds at the last evaluation.\n\n",
                            settings.dataset.empty() ? fmt::format("generated graph, seed {}", settings.base_seed)
                                                     : "dataset " + settings.dataset,
                            main.seeds.size());
  out.report += "| layers | arm | loss |";
  for (const auto& p : probes) out.report += " " + p + " |";
  out.report += " bridge_ood |\n|---|---|---|";
  for (std::size_t i = 0; i <= probes.size(); ++i) out.report += "---|";
  out.report += "\n";
  nlohmann::json results = nlohmann::json::object();
  for (const auto& size : sizes)
    for (auto arm : sim::all_arms()) {
      const std::string a = sim::to_string(arm);
      out.report += fmt::format("| {} | {} | {} |", size.size, a, number(final_mean(size, "loss_" + a)));
      nlohmann::json j;
      for (const auto& p : probes) {
        const double x = final_mean(size, p + "_" + a);
        out.report += " " + number(x) + " |";
        j[p] = std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr);
      }
      const double bridge = final_mean(size, "bridge_ood_" + a);
      out.report += " " + number(bridge) + " |\n";
      j["bridge_ood"] = std::isfinite(bridge) ? nlohmann::json(bridge) : nlohmann::json(nullptr);
      results["two_hop"][fmt::format("layers_{}", size.size)][a] = j;
    }

  // ---- The final per-block bypass: a measurement, no prediction (docs/models/two_hop.md §7) ----
  int deepest = 0;
  for (const auto& size : sizes) deepest = std::max(deepest, size.size);
  out.report += "\n### Per-block attention bypass (measured; no prediction)\n\n"
                "||a_l|| / ||h_(l-1)||: the norm of what block l's attention adds to the residual stream over the "
                "stream's, mean over the logit lens's items, seed means at the last evaluation; r2 = position 2 of "
                "`h r1 r2` (b under CoT, t without), b = position 3 of `h r1 r2 b` (t, CoT only).\n\n"
                "| layers | arm | position |";
  for (int l = 1; l <= deepest; ++l) out.report += fmt::format(" block {} |", l);
  out.report += " with depth |\n|---|---|---|";
  for (int l = 0; l <= deepest; ++l) out.report += "---|";
  out.report += "\n";
  for (const auto& size : sizes) {
    const std::size_t last = size.measured.front().rows.size() - 1;
    for (auto arm : sim::all_arms())
      for (const auto& position : sim::bypass_positions(arm)) {
        if (!has_column(size, sim::bypass_column(position, arm, 1))) continue;
        const auto mean = bypass_at(size, position, arm, last);
        out.report += fmt::format("| {} | {} | {} |", size.size, sim::to_string(arm), position);
        for (int l = 0; l < deepest; ++l) out.report += " " + (l < size.size ? number(mean[l]) : "–") + " |";
        out.report += " " + depth_trend(mean) + " |\n";
        nlohmann::json per_block = nlohmann::json::array();
        for (double x : mean) per_block.push_back(std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr));
        results["two_hop"][fmt::format("layers_{}", size.size)][sim::to_string(arm)]["bypass_" + position] = per_block;
      }
  }
  out.report += "\nFigures: `figures/two_hop_accuracy.png` (curves per arm), `figures/two_hop_lens.png` (logit lens). "
                "Tables: `accuracy.csv`, `lens.csv`, `bypass.csv`.\n";
  out.results = results;
  return out;
}

}  // namespace cotdyn::models::two_hop
