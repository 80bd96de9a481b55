// `cotdyn compare`: one config drives the model's theory and its simulation at every size of
// compare.d; the command reports how well the theory describes the trained network, in numbers
// and in figures (analysis/commands/compare_command.hpp, analysis/compare/model_comparison.hpp).
#include <iostream>

#include <cotdyn/analysis/commands/compare_command.hpp>
#include <cotdyn/cli/common.hpp>

namespace cotdyn::cli {

namespace {

void add_compare_command(CLI::App& app) {
  auto* command = app.add_subcommand("compare", "run the theory and the simulation from one config and compare them");
  auto options = add_common_options(*command, "results/compare");
  auto no_render = std::make_shared<bool>(false);
  command->add_flag("--no-render", *no_render, "write figure data and scripts, but do not run gnuplot");
  command->callback([options, no_render] {
    before_libtorch("compare");
    auto run = command_options(*options);
    run.render = !*no_render;
    const auto outcome = commands::run_compare(load_config(*options), options->out, run);
    if (outcome.interrupted) {
      std::cout << "interrupted: measurements so far are in " << outcome.directory.string() << '\n';
      throw CLI::RuntimeError(130);
    }
    std::cout << outcome.report << "wrote " << outcome.directory.string() << '\n';
    commands::report_warnings(outcome.warnings, run, outcome.directory.string());
  });
}

const bool registered = register_command(40, add_compare_command);
}  // namespace

}  // namespace cotdyn::cli
