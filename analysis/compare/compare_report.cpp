#include <cotdyn/analysis/compare/compare_report.hpp>

#include <cmath>

#include <fmt/format.h>

#include <cotdyn/analysis/compare/compare_figures.hpp>
#include <cotdyn/analysis/compare/theory_series.hpp>
#include <cotdyn/core/output.hpp>
#include <cotdyn/models/state_tracking/theory_output.hpp>
#include <cotdyn/models/state_tracking/model.hpp>

namespace cotdyn::compare {

namespace {

std::string number(double x, int digits = 3) { return std::isfinite(x) ? fmt::format("{:.{}f}", x, digits) : "—"; }

// The Gram flow against the d = infinity ODE, quantity by quantity (docs/theory.md §4.8).
std::string gram_report(const CompareOutcome& o, const CompareInput& in) {
  // The pairs the flow changes, and its population accuracy beside the d = infinity one.
  auto rows = models::state_tracking::gram_pairs();
  rows.push_back({"step_acc", "step_acc_inf", "step_acc_gram"});
  std::string r = fmt::format(
      "\n## The finite-d theory: the Gram flow (theory.finite_size = \"gram\", docs/theory.md §4.8)\n\n"
      "The population gradient flow at quenched Gram matrices of the fixed embeddings, {} draws per d (not "
      "the seeds' own draws), against the d = infinity ODE. RMS over the observation times of |seed mean - "
      "theory|; at t_max the seed mean ± seed s.d. (ddof 1) and the flow's draw mean ± draw s.d.\n\n"
      "| d | quantity | RMS vs ODE | RMS vs Gram | Gram / ODE | t_max: seeds | ODE | Gram |\n"
      "|---|---|---|---|---|---|---|---|\n",
      in.gram->draws);
  for (std::size_t k = 0; k < in.runs.size(); ++k) {
    const auto& run = in.runs[k];
    const auto& theory = o.theory[k];
    const std::size_t last = run.times().size() - 1;
    for (const auto& row : rows) {
      const double ode = discrepancy(run, theory, {row.simulated, row.ode}).rms;
      const double flow = discrepancy(run, theory, {row.simulated, row.flow}).rms;
      const double sd1 = run.sample_std_dev(row.simulated)[last];
      const auto flow_sd = theory.values.find(row.flow + "_sd");  // the draw s.d., where the theory has one
      r += fmt::format("| {} | {} | {} | {} | {} | {} ± {} | {} | {}{} |\n", run.d, row.simulated, number(ode, 4),
                       number(flow, 4), number(flow / ode, 2), number(run.mean(row.simulated)[last]), number(sd1),
                       number(theory.values.at(row.ode)[last]), number(theory.values.at(row.flow)[last]),
                       flow_sd != theory.values.end() ? " ± " + number(flow_sd->second[last]) : std::string());
    }
  }
  r += "\n| d | lock-on t_1/2: seeds (mean) | ODE | Gram flow (draw mean) |\n|---|---|---|---|\n";
  for (std::size_t k = 0; k < in.runs.size(); ++k)
    r += fmt::format("| {} | {} | {} | {} |\n", in.runs[k].d, number(o.lock_on[k].mean), number(o.ode_lock_on),
                     number(o.theory_results[k].gram_lock_on.empty() ? std::nan("") : o.theory_results[k].gram_lock_on[0]));
  return r;
}

// How many seeds a precision needs, from the measured seed scatter at t_max (docs/theory.md §7):
// the standard error s.d./sqrt(seeds) falls below e at seeds >= (s.d./e)^2.
std::string seeds_report(const CompareInput& in) {
  std::string r = "\n## Seeds for a given precision (from the seed s.d. at t_max; compare.seeds sets the seeds per d)\n\n"
                  "| d | seeds run | quantity | seed s.d. | seeds for s.e. 0.05 | seeds for s.e. 0.01 |\n"
                  "|---|---|---|---|---|---|\n";
  for (const auto& run : in.runs) {
    const std::size_t last = run.times().size() - 1;
    for (const char* q : {"M", "R", "Q", "R_c", "Q_c"}) {
      const double sd = run.sample_std_dev(q)[last];
      auto needed = [sd](double e) { return std::isfinite(sd) ? fmt::format("{}", std::max(2.0, std::ceil(sd * sd / (e * e)))) : std::string("—"); };
      r += fmt::format("| {} | {} | {} | {} | {} | {} |\n", run.d, run.seeds.size(), q, number(sd), needed(0.05), needed(0.01));
    }
  }
  return r;
}

std::string make_report(const CompareOutcome& o, const CompareInput& in) {
  const auto& p = in.parameters;
  std::string r;
  r += fmt::format("# cotdyn compare: mean-field theory against simulation\n\n"
                   "n = {}, K = {}, L = {}, eta_W = {}, eta_A = {}, sigma2 = {}, t_max = {}; {} seeds per d.\n\n",
                   p.n, p.K, p.L, p.eta_W, p.eta_A, p.sigma2, in.t_max, in.runs.front().seeds.size());
  r += discrepancy_report(o.discrepancies, o.fits);
  r += fmt::format("\n## Lock-on time t_1/2 (M = ((L-1)/L) ln(L-1), log M interpolated between observations)\n\n"
                   "ODE: {} exactly (dense output); {} sampled on the observation grid. Estimates "
                   "(docs/theory.md §6): closed form {}, frozen attention {}.\n\n"
                   "| d | seeds locked | t_1/2 mean | s.d. | seed-mean alpha = 1/2 | mean - ODE |\n"
                   "|---|---|---|---|---|---|\n",
                   number(o.ode_lock_on, 3), number(o.lock_on.front().theory_sampled, 3),
                   number(o.theory_results.front().milestones.lock_on_estimate, 3),
                   number(o.theory_results.front().milestones.lock_on_frozen, 3));
  for (std::size_t k = 0; k < o.lock_on.size(); ++k) {
    const auto& l = o.lock_on[k];
    r += fmt::format("| {} | {}/{} | {} | {} | {} | {} |\n", in.runs[k].d, l.locked_seeds, l.per_seed.size(),
                     number(l.mean), number(l.std_dev), number(l.mean_alpha_crossing), number(l.mean - o.ode_lock_on));
  }
  r += "\n## Accuracy against the logit-distribution prediction\n\n"
       "| d | RMS per-step | RMS rollout | predicted rollout = 0.5 at t | simulated at t |\n|---|---|---|---|---|\n";
  for (std::size_t k = 0; k < o.theory.size(); ++k)
    r += fmt::format("| {} | {:.4f} | {:.4f} | {} | {} |\n", o.theory[k].d, o.accuracy_rms_step[k],
                     o.accuracy_rms_rollout[k], number(o.theory[k].rollout_half_time),
                     number(o.simulated_rollout_half[k]));
  if (in.gram) r += gram_report(o, in);
  r += seeds_report(in);
  r += "\n## Staged learning\n\nTheory (ODE on the same rules):\n" + o.theory_stages.summary();
  for (std::size_t k = 0; k < o.stages.size(); ++k) {
    r += fmt::format("\nSimulation, d = {} (seed means): {}\n", in.runs[k].d,
                     o.stages[k].all() ? "the predicted order is observed" : "the predicted order is NOT fully observed");
    r += o.stages[k].summary();
  }
  return r;
}

}  // namespace

CompareOutcome run_comparison(const CompareInput& in) {
  CompareOutcome o;
  for (const auto& run : in.runs) {
    o.theory_results.push_back(meanfield::run_theory(in.parameters, run.times(), in.tolerances, {double(run.d)}, in.gram));
    o.theory.push_back(theory_series(o.theory_results.back(), run.d));
  }
  std::vector<double> fine;
  for (int i = 0; i <= 400; ++i) fine.push_back(in.t_max * i / 400.0);
  const auto dense = meanfield::run_theory(in.parameters, fine, in.tolerances, {});
  o.theory_dense = theory_series(dense, 0);
  o.ode_lock_on = dense.milestones.lock_on_time;

  for (std::size_t k = 0; k < in.runs.size(); ++k) {
    const auto& run = in.runs[k];
    const auto& theory = o.theory[k];
    for (const auto& q : in.pairs) o.discrepancies.push_back(discrepancy(run, theory, q));
    o.lock_on.push_back(lock_on_times(run, theory, in.parameters.L));
    o.simulated_rollout_half.push_back(first_crossing(run.times(), run.mean("rollout_acc"), 0.5));
    for (const char* q : {"step_acc", "rollout_acc"}) {
      double rms = 0;
      for (const auto& x : o.discrepancies)
        if (x.d == run.d && x.quantity == q) rms = x.rms;
      (std::string(q) == "step_acc" ? o.accuracy_rms_step : o.accuracy_rms_rollout).push_back(rms);
    }
    o.stages.push_back(check_stages(run.times(), run.mean("alpha"), run.mean("R"), run.mean("Q")));
  }
  o.theory_stages = check_stages(o.theory_dense.t, o.theory_dense.values.at("alpha"), o.theory_dense.values.at("R"),
                                 o.theory_dense.values.at("Q"));
  if (in.runs.size() >= 2) o.fits = fit_finite_size(o.discrepancies, in.pairs);
  o.report = make_report(o, in);
  return o;
}

void write_comparison(const CompareOutcome& o, const CompareInput& in, const std::filesystem::path& directory,
                      bool render_figures) {
  models::state_tracking::theory_table_long(o.theory_results).write(directory / "theory.csv");
  write_discrepancy_tables(o.discrepancies, o.fits, directory);
  core::CsvTable lock_table({"d", "seed", "t_half", "ode_t_half"});
  for (std::size_t k = 0; k < o.lock_on.size(); ++k)
    for (std::size_t s = 0; s < o.lock_on[k].per_seed.size(); ++s)
      lock_table.add_row(std::vector<std::string>{std::to_string(in.runs[k].d), std::to_string(in.runs[k].seeds[s].seed),
                                                  core::csv_number(o.lock_on[k].per_seed[s]),
                                                  core::csv_number(o.ode_lock_on)});
  lock_table.write(directory / "lock_on.csv");
  core::write_file_atomically(directory / "report.md", o.report);

  CompareFigureInput figures{in.runs, o.theory, o.theory_dense, in.parameters.sigma2, o.discrepancies, o.fits};
  write_compare_figures(figures, directory / "figures", render_figures);
}

nlohmann::json outcome_json(const CompareOutcome& o) {
  auto value = [](double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr); };
  nlohmann::json j;
  j["ode_lock_on_time"] = value(o.ode_lock_on);
  for (std::size_t k = 0; k < o.lock_on.size(); ++k) {
    const std::string d = std::to_string(o.theory[k].d);
    j["lock_on_time"][d] = {{"mean", value(o.lock_on[k].mean)}, {"std", value(o.lock_on[k].std_dev)}};
    j["staged_learning_observed"][d] = o.stages[k].all();
  }
  for (const auto& f : o.fits) j["finite_size_exponent"][f.quantity] = {{"exponent", value(f.exponent)},
                                                                       {"stderr", value(f.exponent_stderr)}};
  return j;
}

}  // namespace cotdyn::compare
