#pragma once
// Options every command takes: --config FILE, --set section.key=value (repeatable), --out DIR, and
// their translation into the command libraries' arguments (analysis/commands/command_options.hpp).
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include <cotdyn/analysis/commands/command_options.hpp>
#include <cotdyn/core/config.hpp>
#include <cotdyn/models/model.hpp>
#include <cotdyn/cli/libtorch.hpp>
#include <cotdyn/cli/registry.hpp>

namespace cotdyn::cli {

struct CommonOptions {
  std::string config_file;
  std::vector<std::string> assignments;
  std::string out;
  bool strict = false;  // --strict: warnings are errors (exit status 3)
};

// Adds --config, --set and (when default_out is not empty) --out and --strict to a subcommand.
std::shared_ptr<CommonOptions> add_common_options(CLI::App& command, const std::string& default_out);

// The run's config (commands::load_config): embedded defaults, the model's generic defaults, --config, --set.
core::Config load_config(const CommonOptions& options);

// The command libraries' options of a CLI run: --strict, Ctrl-C (core::interrupt_requested()), the
// progress bar on stderr and progress lines on stdout.
commands::CommandOptions command_options(const CommonOptions& options);

// The config's model, validated, its warnings printed (or thrown under --strict).
const models::Model& checked_model(const core::Config& config, const CommonOptions& options);

}  // namespace cotdyn::cli
