#pragma once
// `cotdyn theory` as a library function: the config's model, checked, and its theory_run() at the
// observation times (docs/models.md); with an output directory, theory.csv and manifest.json.
#include <string>

#include <cotdyn/analysis/commands/command_options.hpp>
#include <cotdyn/core/config.hpp>
#include <cotdyn/models/model.hpp>

namespace cotdyn::commands {

// `out` empty: nothing is written. Otherwise DIR/theory.csv and DIR/manifest.json, after every input
// has been checked.
models::TheoryRun run_theory(const core::Config& config, const std::string& out, const CommandOptions& options);

}  // namespace cotdyn::commands
