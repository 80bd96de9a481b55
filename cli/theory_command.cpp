// `cotdyn theory`: the chosen model's theory at the observation times (docs/models.md).
#include <iostream>

#include <cotdyn/analysis/commands/theory_command.hpp>
#include <cotdyn/cli/common.hpp>

namespace cotdyn::cli {

namespace {
void add_theory_command(CLI::App& app) {
  auto* command = app.add_subcommand("theory", "the model's theory (ODE, milestones, predictions) at the observation times");
  auto options = add_common_options(*command, "results/theory");
  command->callback([options] {
    const models::TheoryRun run = commands::run_theory(load_config(*options), options->out, command_options(*options));
    std::cout << run.report << "  wrote " << (std::filesystem::path(options->out) / "theory.csv").string() << '\n';
  });
}

const bool registered = register_command(20, add_theory_command);
}  // namespace

}  // namespace cotdyn::cli
