#pragma once
// `cotdyn dataset` as a library function: what the config's model's data generator produces
// (Model::write_dataset), with a manifest; refused before anything is written for a model without a
// generator (docs/models.md).
#include <string>
#include <vector>

#include <cotdyn/analysis/commands/command_options.hpp>
#include <cotdyn/core/config.hpp>

namespace cotdyn::commands {

// Writes the model's dataset files and manifest.json into `out`; returns the files' names.
std::vector<std::string> run_dataset(const core::Config& config, const std::string& out, const CommandOptions& options);

}  // namespace cotdyn::commands
