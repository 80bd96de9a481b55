#pragma once
// `cotdyn compare` for any registered model (docs/models.md, "compare"): the theory at each
// simulated size on the simulation's own observation times, |seed mean - theory| for every pair the
// model names (discrepancy.csv), power-law fits of the RMS over the sizes (finite_size_fit.csv), the
// theory per size (theory.csv, long form with the model's size column, models::Model::size_column()), an overlay figure, report.md. A model with a
// comparison of its own here (the state-tracking model: lock-on times, logit-distribution accuracy,
// staged learning; compare_report.hpp) gets that one instead, with the same discrepancy rule. A model
// with additions (the tree model: tree_comparison.hpp) gets the generic comparison and its additions.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <cotdyn/analysis/compare/comparison_data.hpp>
#include <cotdyn/core/config.hpp>
#include <cotdyn/models/model.hpp>

namespace cotdyn::compare {

struct ComparisonResult {
  std::string report;      // Markdown, also printed
  nlohmann::json results;  // the manifest's results
};

// What a model's additions to the generic comparison see: the runs, the model's theory at each run's
// size on the run's times (with its milestones), and where to write.
struct ComparisonContext {
  const models::Model& model;
  const core::Config& config;
  const std::vector<SimulatedRun>& runs;
  const std::vector<models::Trajectory>& theory;  // theory[k] at runs[k].d
  const std::filesystem::path& directory;
  bool render_figures = true;
};

// `runs` are the simulated runs, one per size of compare.d, increasing. Writes into `directory`.
ComparisonResult compare_model(const models::Model& model, const core::Config& config,
                               const std::vector<SimulatedRun>& runs, const std::filesystem::path& directory,
                               bool render_figures);

// A name as gnuplot's enhanced text shows it: "_" escaped (it would start a subscript).
std::string label(const std::string& name);

// The theory of `config` with the model's size key set to `size`, on `times`; and as a series.
models::Trajectory trajectory_at_size(const models::Model& model, const core::Config& config, int size,
                                      const std::vector<double>& times);
TheorySeries theory_at_size(const models::Model& model, const core::Config& config, int size,
                            const std::vector<double>& times);

}  // namespace cotdyn::compare
