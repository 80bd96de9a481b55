#pragma once
// Options every command takes: --config FILE, --set section.key=value (repeatable), --out DIR.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include <cotdyn/core/config.hpp>
#include <cotdyn/models/model.hpp>
#include <cotdyn/cli/registry.hpp>

namespace cotdyn::cli {

struct CommonOptions {
  std::string config_file;
  std::vector<std::string> assignments;
  std::string out;
  bool strict = false;  // --strict: warnings are errors (exit status 3)
};

// A warning under --strict (README, "Failure modes"): main() exits with status 3. What was written
// before is kept, with its manifest saying so.
struct WarningAsError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Adds --config, --set and (when default_out is not empty) --out and --strict to a subcommand.
std::shared_ptr<CommonOptions> add_common_options(CLI::App& command, const std::string& default_out);

// The embedded config (with every registered model's sections), then the chosen model's
// generic_defaults(), then --config, then each --set (models::resolve_config).
core::Config load_config(const CommonOptions& options);

// The config's model (model.kind), validated; its warnings are printed to stderr, or, under
// options.strict, thrown as WarningAsError before anything is written.
const models::Model& checked_model(const core::Config& config, const CommonOptions& options);

// The end of a training run under `options`: prints how many warnings it had; under --strict a
// warning throws WarningAsError (after the caller wrote what it has).
void report_warnings(const std::vector<std::string>& warnings, const CommonOptions& options, const std::string& where);

// Creates the output directory (only after every input has been checked) and locks it for this
// process (core::DirectoryLock: a second writer is refused).
std::filesystem::path prepare_output_directory(const std::string& out);

}  // namespace cotdyn::cli
