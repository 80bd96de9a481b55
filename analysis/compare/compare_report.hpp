#pragma once
// The whole comparison of `cotdyn compare`: the theory at each d on the simulation's own times,
// discrepancies and their finite-size fits, lock-on and transition times, the staged-learning
// check, and the files (CSV tables, report.md, figures).
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <cotdyn/analysis/compare/comparison_data.hpp>
#include <cotdyn/analysis/compare/crossings.hpp>
#include <cotdyn/analysis/compare/discrepancy.hpp>
#include <cotdyn/analysis/compare/staged_learning.hpp>
#include <cotdyn/meanfield/state_tracking/theory_run.hpp>
#include <cotdyn/models/state_tracking/model.hpp>

namespace cotdyn::compare {

struct CompareInput {
  meanfield::ModelParameters parameters;
  meanfield::Tolerances tolerances;
  double t_max = 100;
  std::vector<SimulatedRun> runs;  // one per d, increasing d
  std::vector<QuantityPair> pairs = models::state_tracking::compared_quantities();
  std::optional<meanfield::FiniteSizeTheory> gram;  // theory.finite_size = "gram": the Gram flow at each d
};

struct CompareOutcome {
  std::vector<meanfield::TheoryResult> theory_results;  // per d, at that d's observation times
  std::vector<TheorySeries> theory;                     // the same as series, per d
  TheorySeries theory_dense;                            // a fine grid, d = infinity accuracies
  double ode_lock_on = 0;                               // exact, dense output
  std::vector<Discrepancy> discrepancies;
  std::vector<PowerLawFit> fits;
  std::vector<LockOnTimes> lock_on;                     // per d
  std::vector<double> simulated_rollout_half;           // seed-mean rollout accuracy = 0.5, per d
  std::vector<double> accuracy_rms_step, accuracy_rms_rollout;  // per d, against the LD prediction
  std::vector<StageCheck> stages;                       // per d, from the seed means
  StageCheck theory_stages;
  std::string report;                                   // Markdown, also printed
};

CompareOutcome run_comparison(const CompareInput& input);
void write_comparison(const CompareOutcome& outcome, const CompareInput& input, const std::filesystem::path& directory,
                      bool render_figures);
nlohmann::json outcome_json(const CompareOutcome& outcome);

}  // namespace cotdyn::compare
