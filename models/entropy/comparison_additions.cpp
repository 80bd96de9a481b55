#include <cotdyn/models/entropy/comparison_additions.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include <fmt/format.h>

#include <cotdyn/models/entropy/settings_of.hpp>
#include <cotdyn/plots/plots.hpp>
#include <cotdyn/simulation/entropy/spike_statistics.hpp>

namespace cotdyn::models::entropy {

namespace {

namespace sim = simulation::entropy;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string cell(double x) { return std::isfinite(x) ? fmt::format("{:.6g}", x) : ""; }
std::string number(double x) { return std::isfinite(x) ? fmt::format("{:.3g}", x) : "n/a"; }
std::string signed_number(double x) { return std::isfinite(x) ? fmt::format("{:+.3f}", x) : "n/a"; }

// The index of the last observation at or before t_max.
std::size_t last_index(const std::vector<double>& t, double t_max) {
  std::size_t last = 0;
  for (std::size_t i = 0; i < t.size(); ++i)
    if (t[i] <= t_max + 1e-9) last = i;
  return last;
}

// One variant's values at its last observation (seed means).
struct Final {
  std::string name;
  double t = kNaN, entropy = kNaN, sharpening = kNaN, kl = kNaN, jensen = kNaN, jensen_sd = kNaN, p_correct = kNaN,
         dead = kNaN, active = kNaN, bypass = kNaN, alpha = kNaN, step_acc = kNaN;
  int width = 0;  // units of d for the MLP variants, 0 otherwise
};

const std::vector<std::string> kTableColumns = {"entropy",       "sharpening",      "kl",     "p_correct",
                                                "dead_fraction", "active_fraction", "bypass", "alpha",
                                                "step_acc"};

bool increasing(const std::vector<double>& x) {
  for (std::size_t i = 1; i < x.size(); ++i)
    if (!(x[i] > x[i - 1])) return false;
  return x.size() >= 2;
}
bool decreasing(const std::vector<double>& x) {
  for (std::size_t i = 1; i < x.size(); ++i)
    if (!(x[i] < x[i - 1])) return false;
  return x.size() >= 2;
}

}  // namespace

double fisher_combined(const std::vector<double>& p_values) {
  if (p_values.empty()) return 1.0;
  double x = 0;
  for (double p : p_values) x += -2.0 * std::log(std::max(p, 1e-300));
  // Survival of chi^2 with 2k degrees of freedom: exp(-x/2) sum_{i<k} (x/2)^i / i!.
  const double half = x / 2;
  double term = 1, sum = 1;
  for (std::size_t i = 1; i < p_values.size(); ++i) {
    term *= half / double(i);
    sum += term;
  }
  return std::min(1.0, std::exp(-half) * sum);
}

ComparisonAdditions comparison_additions(const core::Config& config, const std::vector<ComparedSize>& sizes) {
  ComparisonAdditions out;
  if (sizes.empty()) return out;
  const auto settings = settings_of(config);
  const auto variants = sim::variants_of(settings);
  const double eps = settings.base.label_noise;
  const int n = settings.base.task.num_states();
  const double p_c = 1 - eps + eps / n;

  // ---- entropy_probes.csv: per variant and observation within its training window ----
  core::CsvTable probes({"variant", "d", "t", "entropy", "target_entropy", "entropy_ode", "sharpening", "kl", "p_correct",
                         "dead_fraction", "active_fraction", "bypass", "alpha", "step_acc"});
  core::CsvTable summary({"variant", "d", "t", "entropy", "target_entropy", "entropy_minus_target", "sharpening", "kl",
                          "jensen_gap", "jensen_gap_sd", "p_correct", "p_c", "dead_fraction", "active_fraction",
                          "bypass", "alpha", "step_acc"});
  core::CsvTable spikes({"variant", "d", "seed", "spikes", "cooccurring", "shuffled", "p_shuffled"});
  std::vector<std::vector<Final>> finals;  // per size
  for (const auto& size : sizes) {
    const auto t = size.measured.front().column("t");
    const auto target = size.theory.column("target_entropy");
    const auto ode = size.theory.column("entropy");
    std::vector<Final> f_size;
    for (const auto& v : variants) {
      std::map<std::string, std::vector<double>> mean;
      for (const auto& c : sim::probe_columns()) mean[c] = size.mean(c + "_" + v.name);
      const std::size_t last = last_index(t, v.t_max);
      for (std::size_t i = 0; i <= last; ++i) {
        std::vector<std::string> row = {v.name, std::to_string(size.size), cell(t[i]), cell(mean["entropy"][i]),
                                        cell(target[i]), cell(ode[i])};
        for (const char* c : {"sharpening", "kl", "p_correct", "dead_fraction", "active_fraction", "bypass", "alpha",
                              "step_acc"})
          row.push_back(cell(mean[c][i]));
        probes.add_row(row);
      }
      Final f;
      f.name = v.name;
      f.t = t[last];
      f.entropy = mean["entropy"][last];
      f.sharpening = mean["sharpening"][last];
      f.kl = mean["kl"][last];
      f.jensen = mean["jensen_gap"][last];
      f.jensen_sd = size.std_dev("jensen_gap_" + v.name)[last];
      f.p_correct = mean["p_correct"][last];
      f.dead = mean["dead_fraction"][last];
      f.active = mean["active_fraction"][last];
      f.bypass = mean["bypass"][last];
      f.alpha = mean["alpha"][last];
      f.step_acc = mean["step_acc"][last];
      if (v.name.rfind("mlp_", 0) == 0) f.width = v.run.ablation.mlp_width / settings.base.d;
      f_size.push_back(f);
      summary.add_row(std::vector<std::string>{
          v.name, std::to_string(size.size), cell(f.t), cell(f.entropy), cell(target[last]),
          cell(f.entropy - target[last]), cell(f.sharpening), cell(f.kl), cell(f.jensen), cell(f.jensen_sd),
          cell(f.p_correct), cell(p_c), cell(f.dead), cell(f.active), cell(f.bypass), cell(f.alpha), cell(f.step_acc)});
      if (v.spikes)
        for (std::size_t e = 0; e < size.measured.size(); ++e) {
          const auto& m = size.measured[e];
          std::vector<std::string> row = {v.name, std::to_string(size.size), std::to_string(size.seeds[e])};
          for (const auto& c : sim::spike_columns()) row.push_back(cell(m.column(c + "_" + v.name).back()));
          spikes.add_row(row);
        }
    }
    finals.push_back(f_size);
  }
  out.tables.push_back({"entropy_probes.csv", probes});
  out.tables.push_back({"entropy_summary.csv", summary});
  if (std::any_of(variants.begin(), variants.end(), [](const auto& v) { return v.spikes; }))
    out.tables.push_back({"spikes.csv", spikes});

  // ---- The figure: the largest size ----
  const std::size_t main_index = sizes.size() - 1;
  const ComparedSize& main = sizes[main_index];
  const auto& main_finals = finals[main_index];
  const double H_target = main.theory.column("target_entropy").front();
  {
    plots::Figure figure;
    figure.name = "entropy_probes";
    figure.title = fmt::format("entropy probes, label noise {}, d = {} (seed means)", eps, main.size);
    figure.columns = 2;
    const auto t = main.measured.front().column("t");
    plots::Panel entropy_panel;
    entropy_panel.title = "(a) mean entropy of the model's distribution";
    entropy_panel.x_label = "t = steps / d";
    entropy_panel.y_label = "nats";
    entropy_panel.key = plots::KeyPosition::top_right;
    entropy_panel.add(plots::Series::line("H_{mf}(t), ODE", t, main.theory.column("entropy")).with_color("#808080").with_line_width(4));
    // The same ODE's entropy at the study's d, averaged over the LD logit noise (docs/theory.md §16.3).
    entropy_panel.add(plots::Series::line(fmt::format("H_{{LD}}(t), d = {}", main.size), t, main.theory.column("entropy_ld"))
                          .with_color("#808080")
                          .with_dash(3)
                          .with_line_width(3));
    entropy_panel.add(plots::Series::line("H_{target}", {t.front(), t.back()}, {H_target, H_target}).with_color("#808080").with_dash(2));
    plots::Panel split;
    split.title = "(b) H_{target} - entropy = KL (solid) + sharpening (dashed)";
    split.x_label = "t = steps / d";
    split.y_label = "nats";
    split.key = plots::KeyPosition::below;
    plots::Panel active;
    active.title = "(c) ReLU units: active per query (solid), dead (dashed)";
    active.x_label = "t = steps / d";
    active.y_label = "fraction of the width";
    active.y_range = {0.0, 1.0};
    active.key = plots::KeyPosition::top_right;
    std::size_t colour = 0;
    for (const auto& v : variants) {
      const std::size_t last = last_index(t, v.t_max);
      const std::vector<double> tv(t.begin(), t.begin() + static_cast<std::ptrdiff_t>(last + 1));
      const auto cut = [&](const std::string& column) {
        const auto m = main.mean(column + "_" + v.name);
        return std::vector<double>(m.begin(), m.begin() + static_cast<std::ptrdiff_t>(last + 1));
      };
      const auto c = plots::palette_color(colour++);
      entropy_panel.add(plots::Series::line(plots::literal(v.name), tv, cut("entropy")).with_color(c));
      split.add(plots::Series::line(plots::literal(v.name), tv, cut("kl")).with_color(c));
      split.add(plots::Series::line("", tv, cut("sharpening")).with_color(c).with_dash(2));
      if (v.run.ablation.logic_module == simulation::LogicModuleKind::mlp) {
        active.add(plots::Series::line(plots::literal(v.name), tv, cut("active_fraction")).with_color(c));
        active.add(plots::Series::line("", tv, cut("dead_fraction")).with_color(c).with_dash(2));
      }
    }
    figure.panels.push_back(entropy_panel);
    figure.panels.push_back(split);
    if (!active.series.empty()) figure.panels.push_back(active);
    out.figures.push_back(figure);
  }

  // ---- Predictions (docs/models/entropy.md) ----
  const auto find = [&](const std::string& name) -> const Final* {
    for (const auto& f : main_finals)
      if (f.name == name) return &f;
    return nullptr;
  };
  std::vector<const Final*> mlps;
  for (const auto& f : main_finals)
    if (f.width > 0) mlps.push_back(&f);
  std::sort(mlps.begin(), mlps.end(), [](const Final* a, const Final* b) { return a->width < b->width; });
  const std::string at = fmt::format("d = {}, H_target = {:.4f}", main.size, H_target);
  {  // P-a1
    std::string measured = at + "; entropy - H_target (sharpening, KL) at the last observation:";
    std::vector<double> deficit;
    bool all_below = true, all_above = true, sharpened = true;
    for (const auto& f : main_finals) {
      if (f.name.rfind("spike_", 0) == 0) continue;
      measured += fmt::format(" {} {} ({}, {});", f.name, signed_number(f.entropy - H_target), signed_number(f.sharpening),
                              number(f.kl));
    }
    for (const Final* f : mlps) {
      deficit.push_back(H_target - f->entropy);
      all_below = all_below && f->entropy < H_target;
      all_above = all_above && f->entropy >= H_target;
      sharpened = sharpened && f->sharpening > 0;
    }
    std::string verdict = "not tested";
    if (!mlps.empty())
      verdict = all_below && sharpened && increasing(deficit) ? "held"
                : all_above                                   ? "not held"
                                                              : "not reproduced at this scale";
    out.predictions.push_back({"P-a1 lower entropy than the target, the gap growing with model size",
                               "entropy < H_target for every MLP width with a positive sharpening term, and "
                               "H_target - entropy increasing with the width",
                               measured, verdict});
  }
  {  // P-a2
    const Final* bilinear = find("bilinear_adam");
    std::string measured = at + "; sharpening term:";
    if (bilinear) measured += fmt::format(" bilinear_adam (no FFN) {};", signed_number(bilinear->sharpening));
    double min_mlp = std::numeric_limits<double>::infinity();
    for (const Final* f : mlps) {
      measured += fmt::format(" {} {};", f->name, signed_number(f->sharpening));
      min_mlp = std::min(min_mlp, f->sharpening);
    }
    std::string verdict = "not tested";
    if (bilinear && !mlps.empty()) {
      const bool ffn_sharpens = min_mlp > std::max(0.0, bilinear->sharpening);
      const bool ffn_flatter = std::all_of(mlps.begin(), mlps.end(), [&](const Final* f) { return f->entropy > bilinear->entropy; });
      verdict = ffn_sharpens ? "held" : ffn_flatter ? "not held" : "not reproduced at this scale";
    }
    out.predictions.push_back({"P-a2 the FFN drives the bias",
                               "the MLP (FFN) logic's sharpening term is positive and above the bilinear logic's "
                               "(the same network without an FFN)",
                               measured, verdict});
  }
  {  // P-a3
    std::string measured = at + "; ||attention output|| / ||u_s|| at the logic input:";
    std::vector<double> bypass;
    for (const auto& f : main_finals) {
      if (f.name.rfind("spike_", 0) == 0) continue;
      measured += fmt::format(" {} {};", f.name, number(f.bypass));
    }
    for (const Final* f : mlps) bypass.push_back(f->bypass);
    measured += " (negative control: the task needs retrieval, the attention cannot be bypassed)";
    out.predictions.push_back({"P-a3 larger models bypass attention more",
                               "the bypass ratio falls with the MLP width", measured,
                               mlps.size() < 2 ? "not tested" : decreasing(bypass) ? "held" : "not held"});
  }
  {  // P-a4
    std::string measured = at + "; active per query (dead) at the last observation:";
    std::vector<double> active;
    for (const Final* f : mlps) {
      measured += fmt::format(" {} {} ({});", f->name, number(f->active), number(f->dead));
      active.push_back(f->active);
    }
    out.predictions.push_back({"P-a4 larger models have a lower proportion of active FFN neurons",
                               "the active fraction per query falls with the MLP width",
                               measured, mlps.size() < 2 ? "not tested" : decreasing(active) ? "held" : "not held"});
  }
  {  // P-a5
    int total = 0, co = 0;
    double expected = 0;
    std::vector<double> p_values;
    std::string measured = at + ";";
    for (const auto& v : variants) {
      if (!v.spikes) continue;
      int s_v = 0, c_v = 0;
      double e_v = 0;
      for (const auto& m : main.measured) {
        const double s = m.column("spikes_" + v.name).back(), c = m.column("cooccurring_" + v.name).back();
        s_v += int(s);
        c_v += int(c);
        e_v += m.column("shuffled_" + v.name).back();
        if (s > 0) p_values.push_back(m.column("p_shuffled_" + v.name).back());
      }
      measured += fmt::format(" {}: {} spikes, {} within +-{} steps of a dead-fraction jump (shuffled {});", v.name, s_v,
                              c_v, sim::kJumpWindow, number(e_v));
      total += s_v;
      co += c_v;
      expected += e_v;
    }
    const double p = fisher_combined(p_values);
    measured += fmt::format(" pooled {} of {} against {} shuffled, Fisher p = {}", co, total, number(expected), number(p));
    std::string verdict = "not tested";
    if (std::any_of(variants.begin(), variants.end(), [](const auto& v) { return v.spikes; }))
      verdict = total == 0 ? "not reproduced at this scale" : (co > expected && p < 0.05) ? "held" : "not held";
    out.predictions.push_back(
        {"P-a5 instability coincides with sudden increases of dead neurons",
         fmt::format("loss spikes (> {:g} x the median of the last {} steps) fall within +-{} steps of a jump of the dead "
                     "fraction (> {:g} points) more often than time-shuffled spikes (Fisher p < 0.05)",
                     sim::kSpikeFactor, sim::kMedianSteps, sim::kJumpWindow, 100 * sim::kJump),
         measured, verdict});
  }

  // ---- Report and results ----
  out.report = "## Entropy and sparsity probes\n\n";
  out.report += fmt::format(
      "Label noise {}: target law p_c = {:.4f} on the correct state, H_target = {:.4f} nats. Per evaluation query "
      "H_target - H(q) = KL(q||p) + sharpening, sharpening = (q_c - p_c) log(n p_c / eps) (docs/models/entropy.md). "
      "Seed means over {} seeds at each variant's last observation; the Jensen gap is over its last {} observations.\n\n",
      eps, p_c, H_target, main.seeds.size(), settings.window);
  out.report += "| variant | t | entropy - H_target | sharpening | KL | Jensen gap | p_correct | dead | active | bypass | alpha |\n"
                "|---|---|---|---|---|---|---|---|---|---|---|\n";
  nlohmann::json results = nlohmann::json::object();
  const auto json_number = [](double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr); };
  for (const auto& f : main_finals) {
    out.report += fmt::format("| {} | {:g} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", f.name, f.t,
                              signed_number(f.entropy - H_target), signed_number(f.sharpening), number(f.kl),
                              number(f.jensen), number(f.p_correct), number(f.dead), number(f.active), number(f.bypass),
                              number(f.alpha));
    results["entropy"][f.name] = {{"t", f.t},
                                  {"entropy_minus_target", json_number(f.entropy - H_target)},
                                  {"sharpening", json_number(f.sharpening)},
                                  {"kl", json_number(f.kl)},
                                  {"jensen_gap", json_number(f.jensen)},
                                  {"p_correct", json_number(f.p_correct)},
                                  {"dead_fraction", json_number(f.dead)},
                                  {"active_fraction", json_number(f.active)},
                                  {"bypass", json_number(f.bypass)}};
  }
  out.report += "\nFigure: `figures/entropy_probes.png`. Tables: `entropy_probes.csv` (over time), `entropy_summary.csv` "
                "(last observation), `spikes.csv` (instability runs, per seed).\n";
  out.results = results;
  return out;
}

}  // namespace cotdyn::models::entropy
