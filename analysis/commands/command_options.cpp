#include <cotdyn/analysis/commands/command_options.hpp>

#include <iostream>

#include <fmt/format.h>

#include <cotdyn/models/registry.hpp>

namespace cotdyn::commands {

core::Config load_config(const ConfigSource& source) {
  if (!source.file.empty() && !source.text.empty())
    throw std::invalid_argument("give the config as a file or as TOML text, not both");
  // The registered models add their config sections, and the chosen one its defaults of generic keys.
  return models::resolve_config([&](core::Config& config) {
    if (!source.file.empty()) config.merge_file(source.file);
    if (!source.text.empty()) config.merge_text(source.text, "config");
    for (const auto& assignment : source.assignments) config.apply_set(assignment);
  });
}

simulation::RunOptions run_options(const CommandOptions& options) {
  simulation::RunOptions run;
  run.stop_requested = options.stop_requested;
  run.strict = options.strict;
  run.progress = options.progress;
  run.on_progress = options.on_progress;
  return run;
}

const models::Model& checked_model(const core::Config& config, const CommandOptions& options) {
  const models::Model& model = models::model_for(config);
  model.validate(config);
  for (const auto& warning : model.warnings(config)) {
    if (options.strict) throw WarningAsError(warning);
    std::cerr << "warning: " << warning << '\n';
  }
  return model;
}

void report_warnings(const std::vector<std::string>& warnings, const CommandOptions& options, const std::string& where) {
  if (warnings.empty()) return;
  if (options.strict) throw WarningAsError(fmt::format("{} (the results so far are in {})", warnings.front(), where));
  std::cerr << fmt::format("cotdyn: {} warning{} (in {}/manifest.json): the run left the regime the theory describes\n",
                           warnings.size(), warnings.size() == 1 ? "" : "s", where);
}

}  // namespace cotdyn::commands
