#pragma once
// `cotdyn compare` for any registered model (docs/models.md, "compare"): the theory at each
// simulated size on the simulation's own observation times, |seed mean - theory| for every pair the
// model names (discrepancy.csv), power-law fits of the RMS over the sizes (finite_size_fit.csv), the
// theory per size (theory.csv, long form with the model's size column, models::Model::size_column()), an overlay figure, report.md. A model with a
// comparison of its own here (the state-tracking model: lock-on times, logit-distribution accuracy,
// staged learning; compare_report.hpp) gets that one instead, with the same discrepancy rule. Every
// other model gets the generic comparison and what it adds through models::Model::comparison_additions
// (tables, figures, report sections, manifest results).
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

// `runs` are the simulated runs, one per size of compare.d, increasing. Writes into `directory`.
ComparisonResult compare_model(const models::Model& model, const core::Config& config,
                               const std::vector<SimulatedRun>& runs, const std::filesystem::path& directory,
                               bool render_figures);

// The theory of `config` with the model's size key set to `size` (models::Model::theory_at_size), on
// `times`, as a series.
TheorySeries theory_at_size(const models::Model& model, const core::Config& config, int size,
                            const std::vector<double>& times);

}  // namespace cotdyn::compare
