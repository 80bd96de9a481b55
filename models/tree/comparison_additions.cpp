#include <cotdyn/models/tree/comparison_additions.hpp>

#include <cmath>
#include <limits>
#include <map>

#include <fmt/format.h>

#include <cotdyn/core/output.hpp>
#include <cotdyn/models/power_law_fit.hpp>
#include <cotdyn/plots/palette.hpp>

namespace cotdyn::models::tree {

namespace {

namespace mf = meanfield::tree;
using plots::Panel;
using plots::Series;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// The order parameters pooled and drawn (docs/models/tree.md §10.5): the F-stage retrieval only in
// the forward task, where it exists.
std::vector<std::string> key_parameters(mf::Task task) {
  std::vector<std::string> keys = {"a_BX", "a_BY", "o_X", "o_Y"};
  if (task == mf::Task::forward) keys.insert(keys.end(), {"a_FX", "a_FY"});
  return keys;
}

struct MeanStd {
  double mean = nan, std = nan;
  int count = 0;  // finite values
};
MeanStd mean_std(const std::vector<double>& values) {
  MeanStd out;
  double sum = 0, square = 0;
  for (double v : values)
    if (std::isfinite(v)) {
      sum += v;
      square += v * v;
      ++out.count;
    }
  if (out.count == 0) return out;
  out.mean = sum / out.count;
  out.std = std::sqrt(std::max(0.0, square / out.count - out.mean * out.mean));
  return out;
}

std::string number(double x, int digits = 2) { return std::isfinite(x) ? fmt::format("{:.{}f}", x, digits) : "—"; }
std::string spread(const MeanStd& x, int seeds, int digits = 2) {
  if (x.count == 0) return "not reached";
  const std::string text = fmt::format("{:.{}f} ± {:.{}f}", x.mean, digits, x.std, digits);
  return x.count == seeds ? text : fmt::format("{} ({} of {} seeds)", text, x.count, seeds);
}

struct PhaseColumns {
  const char* name;
  double mf::PhaseTimes::*time;
};
constexpr PhaseColumns phase_columns[] = {
    {"t_B", &mf::PhaseTimes::t_B}, {"t_F", &mf::PhaseTimes::t_F}, {"t_S", &mf::PhaseTimes::t_S}, {"t_acc", &mf::PhaseTimes::t_acc}};

// The theory's phase times from its milestones ("" the ODE, "_kappa" the kappa-ODE).
mf::PhaseTimes theory_phase_times(const Trajectory& theory, const std::string& suffix) {
  mf::PhaseTimes p;
  for (const auto& c : phase_columns) p.*c.time = theory.milestone(c.name + suffix);
  const double head = theory.milestone("forward_head" + suffix);
  p.forward_head = std::isfinite(head) ? static_cast<int>(head) : -1;
  return p;
}

double head_value(int head) { return head < 0 ? nan : double(head); }

// The observation times of a size (every seed's and the theory's).
std::vector<double> times_of(const ComparedSize& size) { return size.measured.front().column("t"); }

// Theory lines on a dense grid of every run's time span (the step function of the accuracy needs it).
std::vector<double> dense_times(const ComparedSize& size) {
  std::vector<double> t;
  const double end = times_of(size).back();
  for (int n = 0; n <= 500; ++n) t.push_back(end * n / 500.0);
  return t;
}

struct Figures {
  const std::vector<ComparedSize>& sizes;
  mf::Task task;
  int heads;
  std::vector<Trajectory> dense;  // the theory per size on a dense grid

  plots::Figure order_parameters() const {
    plots::Figure figure;
    figure.name = "tree_order_parameters";
    figure.title = "Order parameters of every head: the ODE (line) against the simulation in coefficient space "
                   "(seed mean, bars = 1 s.d.)";
    const std::vector<std::string> shown = task == mf::Task::forward ? std::vector<std::string>{"a_BX", "a_FY", "o_X", "o_Y"}
                                                                     : std::vector<std::string>{"a_BX", "a_BY", "o_X", "o_Y"};
    figure.columns = shown.size();
    for (int h = 0; h < heads; ++h)
      for (const auto& name : shown) {
        const std::string column = mf::head_column(h, name);
        Panel& panel = figure.add(Panel{});
        panel.title = fmt::format("head {}: {}", h + 1, plots::literal(name));
        panel.x_label = "t = steps / d";
        panel.key = plots::KeyPosition::top_left;
        panel.add(Series::line("ODE", column_of(dense.front(), "t"), column_of(dense.front(), column)).with_color("#000000"));
        for (std::size_t k = 0; k < sizes.size(); ++k)
          panel.add(Series::error_bars(fmt::format("d = {}", sizes[k].size), times_of(sizes[k]), sizes[k].mean(column),
                                       sizes[k].std_dev(column))
                        .with_color(plots::palette_color(k))
                        .with_points(7, 0.6));
      }
    return figure;
  }

  plots::Figure retrieval_masses() const {
    plots::Figure figure;
    figure.name = "tree_retrieval_masses";
    figure.title = "Retrieval masses by stage and head: kappa-ODE per d (lines), ODE (dashed), simulation on unseen "
                   "trees (markers)";
    const std::vector<std::string> stages = task == mf::Task::forward ? std::vector<std::string>{"m_B", "m_F"}
                                                                      : std::vector<std::string>{"m_B"};
    figure.columns = stages.size();
    for (int h = 0; h < heads; ++h)
      for (const auto& stage : stages) {
        const std::string column = mf::head_column(h, stage);
        Panel& panel = figure.add(Panel{});
        panel.title = fmt::format("head {}: {} ({} queries)", h + 1, plots::literal(stage), stage == "m_B" ? "B" : "F");
        panel.x_label = "t = steps / d";
        panel.y_range = {-0.02, 1.02};
        panel.key = plots::KeyPosition::top_left;
        panel.add(Series::line("ODE (d = {/Symbol \\245})", column_of(dense.front(), "t"), column_of(dense.front(), column))
                      .with_color("#000000")
                      .with_dash(2));
        for (std::size_t k = 0; k < sizes.size(); ++k) {
          const auto color = plots::palette_color(k);
          panel.add(Series::line("", column_of(dense[k], "t"), column_of(dense[k], column + "_kappa")).with_color(color));
          panel.add(Series::error_bars(fmt::format("d = {}", sizes[k].size), times_of(sizes[k]), sizes[k].mean(column),
                                       sizes[k].std_dev(column))
                        .with_color(color)
                        .with_points(7, 0.6));
        }
      }
    return figure;
  }

  plots::Figure accuracy() const {
    plots::Figure figure;
    figure.name = "tree_accuracy";
    figure.title = "Accuracy on unseen trees (markers) against the predicted step function: kappa-ODE per d (lines), "
                   "ODE (dashed)";
    figure.columns = 2;
    for (const auto& [simulated, theory, title] :
         {std::tuple<std::string, std::string, std::string>{"step_acc", "step_acc_inf", "per-step accuracy (teacher forced)"},
          {"exact_acc", "exact_acc_inf", "exact match (rollout)"}}) {
      Panel& panel = figure.add(Panel{});
      panel.title = title;
      panel.x_label = "t = steps / d";
      panel.y_range = {-0.02, 1.02};
      panel.key = plots::KeyPosition::top_left;
      panel.add(Series::line("ODE (d = {/Symbol \\245})", column_of(dense.front(), "t"), column_of(dense.front(), theory))
                    .with_color("#000000")
                    .with_dash(2));
      for (std::size_t k = 0; k < sizes.size(); ++k) {
        const auto color = plots::palette_color(k);
        panel.add(Series::line("", column_of(dense[k], "t"), column_of(dense[k], theory + "_kappa")).with_color(color));
        panel.add(Series::error_bars(fmt::format("d = {}", sizes[k].size), times_of(sizes[k]), sizes[k].mean(simulated),
                                     sizes[k].std_dev(simulated))
                      .with_color(color)
                      .with_points(7, 0.6));
      }
    }
    return figure;
  }

  static std::vector<double> column_of(const Trajectory& t, const std::string& name) { return t.column(name); }
};

}  // namespace

mf::PhaseTimes seed_phase_times(const Trajectory& seed, mf::Task task, int heads) {
  std::map<std::string, std::vector<double>> columns;  // the series the rules read, each copied once
  return mf::phase_times(task, heads, seed.column("t"), [&](const std::string& name) -> const std::vector<double>& {
    auto it = columns.find(name);
    if (it == columns.end()) it = columns.emplace(name, seed.column(name)).first;
    return it->second;
  });
}

double pooled_rms(const ComparedSize& size, mf::Task task, int heads, const std::string& simulated_suffix,
                  const std::string& theory_suffix) {
  double sum = 0;
  int count = 0;
  for (int h = 0; h < heads; ++h)
    for (const auto& name : key_parameters(task)) {
      const std::string column = mf::head_column(h, name);
      const auto mean = size.mean(column + simulated_suffix);
      const auto predicted = size.theory.column(column + theory_suffix);
      for (std::size_t n = 0; n < mean.size(); ++n) {
        sum += (mean[n] - predicted.at(n)) * (mean[n] - predicted.at(n));
        ++count;
      }
    }
  return count == 0 ? nan : std::sqrt(sum / count);
}

ComparisonAdditions comparison_additions(const Model& model, const core::Config& config,
                                         const std::vector<ComparedSize>& sizes) {
  if (sizes.empty() || sizes.front().measured.empty()) return {};
  const mf::Task task = config.get_string("tree.task") == "forward" ? mf::Task::forward : mf::Task::backward;
  const int heads = static_cast<int>(config.get_integer("tree.heads"));
  const bool forward = task == mf::Task::forward;
  ComparisonAdditions out;
  auto& report = out.report;

  // Phase times per seed against the ODE's and the kappa-ODE's at the run's d (docs/models/tree.md §5).
  std::vector<std::string> columns = {"d", "seed"};
  for (const char* source : {"", "ode_", "kappa_"}) {
    for (const auto& p : phase_columns) columns.push_back(std::string(source) + p.name);
    columns.push_back(std::string(source) + "forward_head");
  }
  core::CsvTable phase_table(columns);
  report += "## Phase times per seed (docs/models/tree.md §5) against the ODE and the kappa-ODE at each d\n\n"
            "The rules of §5 on each seed's measured series (retrieval masses and min_margin on the unseen evaluation "
            "trees, o_X - o_Y in coefficient space) at the observation times; mean ± s.d. over the seeds.\n\n"
            "| d | source | t_B | t_F | t_S | t_acc | forward head (heads numbered from 1) |\n|---|---|---|---|---|---|---|\n";
  std::vector<std::vector<MeanStd>> phase_stats;  // per run, per phase column
  for (const auto& size : sizes) {
    const auto ode = theory_phase_times(size.theory, ""), kappa = theory_phase_times(size.theory, "_kappa");
    std::vector<std::vector<double>> times(std::size(phase_columns));
    std::vector<int> head_count(heads, 0);
    auto& json = out.results["phase_times"][std::to_string(size.size)];
    for (std::size_t e = 0; e < size.measured.size(); ++e) {
      const auto p = seed_phase_times(size.measured[e], task, heads);
      std::vector<double> row = {double(size.size), double(size.seeds[e])};
      for (const auto* source : {&p, &ode, &kappa}) {
        for (const auto& col : phase_columns) row.push_back(source->*col.time);
        row.push_back(head_value(source->forward_head));
      }
      phase_table.add_row(row);
      for (std::size_t i = 0; i < std::size(phase_columns); ++i) times[i].push_back(p.*phase_columns[i].time);
      if (p.forward_head >= 0) ++head_count[p.forward_head];
      json["forward_head_per_seed"].push_back(p.forward_head < 0 ? nlohmann::json(nullptr) : nlohmann::json(p.forward_head));
    }
    phase_stats.emplace_back();
    const int seeds = static_cast<int>(size.measured.size());
    std::string row = fmt::format("| {} | simulation ({} seeds) |", size.size, seeds);
    for (std::size_t i = 0; i < std::size(phase_columns); ++i) {
      phase_stats.back().push_back(mean_std(times[i]));
      row += " " + spread(phase_stats.back().back(), seeds) + " |";
      json[phase_columns[i].name] = {{"mean", std::isfinite(phase_stats.back().back().mean) ? nlohmann::json(phase_stats.back().back().mean) : nlohmann::json(nullptr)},
                                     {"std", std::isfinite(phase_stats.back().back().std) ? nlohmann::json(phase_stats.back().back().std) : nlohmann::json(nullptr)},
                                     {"reached", phase_stats.back().back().count}};
    }
    std::string heads_text;
    for (int h = 0; h < heads; ++h) heads_text += fmt::format("{}head {}: {}", h ? ", " : "", h + 1, head_count[h]);
    report += row + " " + (forward ? heads_text + " seeds" : "—") + " |\n";
    for (const auto& [name, p] : {std::pair{"kappa-ODE", &kappa}, {"ODE (d = ∞)", &ode}}) {
      report += fmt::format("| {} | {} |", size.size, name);
      for (const auto& col : phase_columns) report += " " + number(p->*col.time) + " |";
      report += " " + (p->forward_head < 0 ? std::string("—") : fmt::format("head {}", p->forward_head + 1)) + " |\n";
    }
    if (forward) {
      json["seeds_with_the_odes_forward_head"] = head_count.at(std::max(ode.forward_head, 0));
      json["ode_forward_head"] = ode.forward_head;
    }
  }
  out.tables.push_back({"phase_times.csv", phase_table});

  // Generalisation: the last observation of every seed, on eval_size trees no seed trained on.
  const auto eval_size = config.get_integer("tree.eval_size");
  core::CsvTable general({"d", "seed", "t", "loss", "step_acc", "exact_acc", "forward_exact_acc", "kappa_step_acc_inf",
                          "kappa_exact_acc_inf"});
  report += fmt::format(
      "\n## Generalisation to unseen trees\n\nAt t = {} on {} evaluation trees that no seed trained on (docs/models/tree.md "
      "§10.3); mean ± s.d. over the seeds, against the kappa-ODE's d = ∞ accuracy at the same time.\n\n"
      "| d | per-step accuracy | exact match (rollout) | forward-stage exact match | kappa-ODE per-step / exact |\n"
      "|---|---|---|---|---|\n",
      number(times_of(sizes.front()).back(), 1), eval_size);
  for (const auto& size : sizes) {
    const double theory_step = size.theory.column("step_acc_inf_kappa").back();
    const double theory_exact = size.theory.column("exact_acc_inf_kappa").back();
    std::vector<double> step, exact, forward_exact;
    for (std::size_t e = 0; e < size.measured.size(); ++e) {
      const auto& seed = size.measured[e];
      const auto last = [&seed](const std::string& name) { return seed.has_column(name) ? seed.column(name).back() : nan; };
      step.push_back(last("step_acc"));
      exact.push_back(last("exact_acc"));
      forward_exact.push_back(last("forward_exact_acc"));
      general.add_row({double(size.size), double(size.seeds[e]), last("t"), last("loss"), step.back(), exact.back(),
                       forward_exact.back(), theory_step, theory_exact});
    }
    const int seeds = static_cast<int>(size.measured.size());
    const auto s = mean_std(step), e = mean_std(exact), f = mean_std(forward_exact);
    report += fmt::format("| {} | {} | {} | {} | {} / {} |\n", size.size, spread(s, seeds, 3), spread(e, seeds, 3),
                          forward ? spread(f, seeds, 3) : "—", number(theory_step, 3), number(theory_exact, 3));
    out.results["generalisation"][std::to_string(size.size)] = {{"step_acc", s.mean}, {"exact_acc", e.mean}, {"eval_trees", eval_size}};
    if (forward) out.results["generalisation"][std::to_string(size.size)]["forward_exact_acc"] = f.mean;
  }
  out.tables.push_back({"generalisation.csv", general});

  // Pooled discrepancy per d (docs/models/tree.md §10.5) and its finite-size fit.
  struct Pooling {
    const char* name;
    const char* simulated_suffix;
    const char* theory_suffix;
  };
  const Pooling poolings[] = {{"coefficient space vs ODE", "", ""},
                              {"logit space vs kappa-ODE", "_logit", "_kappa"},
                              {"logit space vs ODE", "_logit", ""}};
  core::CsvTable pooled({"d", "comparison", "rms"});
  std::vector<double> dims;
  for (const auto& size : sizes) dims.push_back(size.size);
  std::vector<std::vector<double>> rms(std::size(poolings));
  report += "\n## Pooled discrepancy and its finite-size scaling\n\nRMS of (seed mean - theory) over the observation "
            "times, the heads and a_BX, a_BY, o_X, o_Y" +
            std::string(forward ? ", a_FX, a_FY" : "") + " (docs/models/tree.md §10.5).\n\n| comparison |";
  for (const auto& size : sizes) report += fmt::format(" d = {} |", size.size);
  report += " exponent |\n|---|";
  for (std::size_t k = 0; k <= sizes.size(); ++k) report += "---|";
  report += "\n";
  std::vector<PowerLawFit> fits;
  for (std::size_t i = 0; i < std::size(poolings); ++i) {
    report += fmt::format("| {} |", poolings[i].name);
    for (const auto& size : sizes) {
      rms[i].push_back(pooled_rms(size, task, heads, poolings[i].simulated_suffix, poolings[i].theory_suffix));
      pooled.add_row(std::vector<std::string>{std::to_string(size.size), poolings[i].name, fmt::format("{:.17g}", rms[i].back())});
      report += " " + number(rms[i].back(), 3) + " |";
      out.results["pooled_rms"][poolings[i].name][std::to_string(size.size)] = rms[i].back();
    }
    PowerLawFit fit;
    fit.quantity = poolings[i].name;
    fit.exponent = fit.exponent_stderr = nan;
    if (dims.size() >= 2) {
      fit = fit_power_law(dims, rms[i]);
      fit.quantity = poolings[i].name;
    }
    fits.push_back(fit);
    report += " " + (std::isfinite(fit.exponent_stderr) ? fmt::format("{:.2f} ± {:.2f}", fit.exponent, fit.exponent_stderr)
                                                         : number(fit.exponent)) +
              " |\n";
    out.results["pooled_rms_exponent"][poolings[i].name] = std::isfinite(fit.exponent) ? nlohmann::json(fit.exponent) : nlohmann::json(nullptr);
  }
  out.tables.push_back({"tree_discrepancy.csv", pooled});

  // Figures.
  Figures figures{sizes, task, heads, {}};
  for (const auto& size : sizes) figures.dense.push_back(model.theory_at_size(config, size.size, dense_times(size)));
  out.figures = {figures.order_parameters(), figures.retrieval_masses(), figures.accuracy()};

  plots::Figure scaling;
  scaling.name = "tree_finite_size";
  scaling.title = "Finite-size scaling: pooled discrepancy (left) and phase times (right) against d";
  scaling.columns = 2;
  {
    Panel& panel = scaling.add(Panel{});
    panel.x_label = "embedding dimension d";
    panel.y_label = "pooled RMS of |seed mean - theory|";
    panel.log_x = panel.log_y = true;
    panel.key = plots::KeyPosition::bottom_left;
    panel.x_range = {dims.front() / 1.3, dims.back() * 1.3};
    panel.x_tics = dims;
    for (std::size_t i = 0; i < std::size(poolings); ++i) {
      const auto color = plots::palette_color(i);
      const std::string slope = std::isfinite(fits[i].exponent) ? fmt::format(": slope {:.2f}", fits[i].exponent) : "";
      if (std::isfinite(fits[i].exponent)) {
        std::vector<double> line;
        for (double d : dims) line.push_back(fits[i].prefactor * std::pow(d, fits[i].exponent));
        panel.add(Series::line("", dims, line).with_color(color).with_dash(2).with_line_width(1.5));
      }
      panel.add(Series::points(poolings[i].name + slope, dims, rms[i]).with_color(color).with_points(7, 1.2));
    }
  }
  {
    Panel panel;
    panel.x_label = "embedding dimension d";
    panel.y_label = "phase time";
    panel.log_x = true;
    panel.key = plots::KeyPosition::outside_right;
    panel.x_range = {dims.front() / 1.3, dims.back() * 1.3};
    panel.x_tics = dims;
    for (std::size_t i = 0; i < std::size(phase_columns); ++i) {
      std::vector<double> mean, sd, kappa, ode;
      for (std::size_t k = 0; k < sizes.size(); ++k) {
        mean.push_back(phase_stats[k][i].mean);
        sd.push_back(phase_stats[k][i].std);
        kappa.push_back(sizes[k].theory.milestone(std::string(phase_columns[i].name) + "_kappa"));
        ode.push_back(sizes[k].theory.milestone(phase_columns[i].name));
      }
      if (!std::isfinite(ode.front())) continue;  // t_F and t_S of the backward task
      const auto color = plots::palette_color(i);
      const std::string name = plots::literal(phase_columns[i].name);
      panel.add(Series::line(name + " ODE", dims, ode).with_color(color).with_dash(2).with_line_width(1.5));
      panel.add(Series::line(name + " kappa-ODE", dims, kappa).with_color(color).with_line_width(1.5));
      std::vector<double> d_finite, mean_finite, sd_finite;
      for (std::size_t k = 0; k < dims.size(); ++k)
        if (std::isfinite(mean[k])) {
          d_finite.push_back(dims[k]);
          mean_finite.push_back(mean[k]);
          sd_finite.push_back(sd[k]);
        }
      if (!d_finite.empty())
        panel.add(Series::error_bars(name + " simulation", d_finite, mean_finite, sd_finite).with_color(color).with_points(7, 1.0));
    }
    // A run shorter than the ODE's first phase time has no phase to draw: the figure keeps one panel.
    if (panel.series.empty()) {
      scaling.columns = 1;
      scaling.title = "Finite-size scaling: pooled discrepancy against d (no phase reached within the run)";
    } else
      scaling.add(std::move(panel));
  }
  out.figures.push_back(std::move(scaling));
  return out;
}

}  // namespace cotdyn::models::tree
