// `cotdyn config`: prints the configuration. Without --config/--set it prints the embedded default
// with its comments; otherwise the resolved configuration. `--estimate` prints instead what a
// simulation of the config would allocate (the check simulate and compare make before they start),
// computed where LibTorch runs (cli/libtorch.hpp).
#include <iostream>

#include <fmt/format.h>

#include <cotdyn/analysis/commands/compare_command.hpp>
#include <cotdyn/cli/common.hpp>
#include <cotdyn/core/memory.hpp>
#include <cotdyn/models/memory_check.hpp>
#include <cotdyn/models/registry.hpp>

namespace cotdyn::cli {

namespace {
void print_estimate(const core::Config& config, const CommonOptions& options) {
  const models::Model& model = checked_model(config, options);
  model.validate_simulation(config);
  std::vector<core::Config> sized;
  for (const auto size : config.get_integer_list("compare.d"))
    sized.push_back(commands::compared_config(model, config, static_cast<int>(size)));
  const auto available = core::available_memory();
  std::cout << fmt::format("memory estimate, model {}:\n  simulate ({} = {}): {}\n", model.name(), model.size_key(),
                           model.size_value(config), models::run_memory(model, {config}).str());
  if (!sized.empty())
    std::cout << fmt::format("  compare (the largest of compare.d, sizes run one after another): {}\n",
                             models::run_memory(model, sized).str());
  std::cout << fmt::format("  available: {}\n", available ? core::format_bytes(*available) : "unknown (no check)");
}

void add_config_command(CLI::App& app) {
  auto* command = app.add_subcommand("config", "print the configuration (default: the embedded default config)");
  auto options = add_common_options(*command, "");
  auto estimate = std::make_shared<bool>(false);
  command->add_flag("--estimate", *estimate, "print the memory a simulation of this config needs, and what is available");
  command->callback([options, estimate] {
    if (*estimate) {
      before_libtorch("config --estimate");  // the estimate is the simulator's, in the process that trains
      print_estimate(load_config(*options), *options);
      return;
    }
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
