// `cotdyn config`: prints the configuration. Without --config/--set it prints the embedded default
// with its comments; otherwise the resolved configuration.
#include <iostream>

#include <cotdyn/cli/common.hpp>
#include <cotdyn/models/registry.hpp>

namespace cotdyn::cli {


namespace {
void add_config_command(CLI::App& app) {
  auto* command = app.add_subcommand("config", "print the configuration (default: the embedded default config)");
  auto options = add_common_options(*command, "");
  command->callback([options] {
    if (options->config_file.empty() && options->assignments.empty()) {
      models::all_models();  // the registered models add their sections
      std::cout << core::default_config_text();
      return;
    }
    std::cout << load_config(*options).to_toml() << '\n';
  });
}

const bool registered = register_command(10, add_config_command);
}  // namespace

}  // namespace cotdyn::cli
