// `cotdyn interaction`: the order-r interaction signals of INTERACTION.md, predicted in closed form
// and (when built with LibTorch) measured by autograd with the variance-reduced estimator
// (analysis/commands/interaction_command.hpp).
#include <iostream>

#include <fmt/format.h>

#include <cotdyn/analysis/commands/interaction_command.hpp>
#include <cotdyn/cli/common.hpp>

namespace cotdyn::cli {

namespace {
void add_interaction_command(CLI::App& app) {
  auto* command = app.add_subcommand("interaction", "predict and measure order-r interaction signals");
  auto options = add_common_options(*command, "results/interaction");
  auto no_measure = std::make_shared<bool>(false);
  auto no_render = std::make_shared<bool>(false);
  command->add_flag("--no-measure", *no_measure, "closed forms only, no Monte Carlo measurement");
  command->add_flag("--no-render", *no_render, "write figure data and scripts, but do not run gnuplot");
  command->callback([options, no_measure, no_render] {
    if (!*no_measure) before_libtorch("interaction's measurement (without it: --no-measure)");
    auto run = command_options(*options);
    run.render = !*no_render;
    const auto outcome = commands::run_interaction(load_config(*options), options->out, !*no_measure, run);
    std::cout << fmt::format("{} cells{}; slopes in slopes.csv; wrote {}\n", outcome.cells,
                             outcome.measured
                                 ? fmt::format(", {} measured cells outside 3 standard errors", outcome.cells_outside_3_stderr)
                                 : "",
                             outcome.directory.string());
  });
}

const bool registered = register_command(50, add_interaction_command);
}  // namespace

}  // namespace cotdyn::cli
