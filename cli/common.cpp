#include <cotdyn/cli/common.hpp>

#include <iostream>

#include <cotdyn/core/interrupt.hpp>

namespace cotdyn::cli {

std::shared_ptr<CommonOptions> add_common_options(CLI::App& command, const std::string& default_out) {
  auto options = std::make_shared<CommonOptions>();
  command.add_option("--config", options->config_file, "TOML config file (default: the embedded config)")
      ->check(CLI::ExistingFile);
  command.add_option("--set", options->assignments, "override one key: --set section.key=value (repeatable)")
      ->allow_extra_args(false);
  if (!default_out.empty()) {
    options->out = default_out;
    command.add_option("--out", options->out, "output directory")->capture_default_str();
    command.add_flag("--strict", options->strict,
                     "treat warnings (a setting that cannot work, a run that left the theory's regime) as errors: exit status 3");
  }
  return options;
}

core::Config load_config(const CommonOptions& options) {
  commands::ConfigSource source;
  source.file = options.config_file;
  source.assignments = options.assignments;
  return commands::load_config(source);
}

commands::CommandOptions command_options(const CommonOptions& options) {
  commands::CommandOptions result;
  result.strict = options.strict;
  result.stop_requested = &core::interrupt_requested();
  result.log = [](const std::string& line) { std::cout << line << '\n' << std::flush; };
  return result;
}

const models::Model& checked_model(const core::Config& config, const CommonOptions& options) {
  return commands::checked_model(config, command_options(options));
}

}  // namespace cotdyn::cli
