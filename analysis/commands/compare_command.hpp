#pragma once
// `cotdyn compare` as a library function: the config's model trained at every size of compare.d
// (increasing), then held against its theory (analysis/compare/model_comparison.hpp): simulation.csv,
// simulation_summary.csv, discrepancy.csv, finite_size_fit.csv, theory.csv, the model's own tables,
// figures/, report.md and manifest.json in the output directory. Needs a build with LibTorch.
#include <filesystem>
#include <string>
#include <vector>

#include <cotdyn/analysis/commands/command_options.hpp>
#include <cotdyn/core/config.hpp>

namespace cotdyn::commands {

struct CompareOutcome {
  std::filesystem::path directory;
  bool interrupted = false;  // stopped by a request: the measurements so far are in the directory
  std::string report;        // Markdown (empty when interrupted)
  std::vector<std::string> warnings;
};

// compare.d: distinct sizes, each valid for the model's simulation; increasing. std::invalid_argument
// names the size and what is wrong with it.
std::vector<int> compare_sizes(const models::Model& model, const core::Config& config);
// The config of the run at size d: the size key set to d and, when compare.seeds is given (one count
// per entry of compare.d), train.seeds set to that d's count. Errors name compare.seeds.
core::Config compared_config(const models::Model& model, const core::Config& config, int d);

// Checks every input, then writes into `out` (which must not be empty). Under options.strict a
// warning stops the run (WarningAsError after the manifest says so).
CompareOutcome run_compare(const core::Config& config, const std::string& out, const CommandOptions& options);

}  // namespace cotdyn::commands
