// `cotdyn theory`: the chosen model's theory at the observation times (docs/models.md).
#include <iostream>

#include <fmt/format.h>

#include <cotdyn/cli/common.hpp>
#include <cotdyn/core/manifest.hpp>
#include <cotdyn/core/output.hpp>
#include <cotdyn/models/registry.hpp>

namespace cotdyn::cli {

namespace {
void add_theory_command(CLI::App& app) {
  auto* command = app.add_subcommand("theory", "the model's theory (ODE, milestones, predictions) at the observation times");
  auto options = add_common_options(*command, "results/theory");
  command->callback([options] {
    const core::Config config = load_config(*options);
    const models::Model& model = checked_model(config, *options);
    core::Manifest manifest("theory", config);
    const models::TheoryRun run = model.theory_run(config);
    const auto directory = prepare_output_directory(options->out);
    core::CsvTable table(run.trajectory.columns);
    for (const auto& row : run.trajectory.rows) table.add_row(row);
    table.write(directory / "theory.csv");
    manifest.results() = run.results;
    manifest.write(directory);
    std::cout << run.report << "  wrote " << (directory / "theory.csv").string() << '\n';
  });
}

const bool registered = register_command(20, add_theory_command);
}  // namespace

}  // namespace cotdyn::cli
