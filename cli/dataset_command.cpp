// `cotdyn dataset`: what the chosen model's data generator produces, for people who want to look at
// or reuse the data (docs/models.md, Model::write_dataset).
#include <iostream>

#include <cotdyn/analysis/commands/dataset_command.hpp>
#include <cotdyn/cli/common.hpp>

namespace cotdyn::cli {

namespace {
void add_dataset_command(CLI::App& app) {
  auto* command = app.add_subcommand("dataset", "write the data the model's generator produces (dataset.count inputs per stream)");
  auto options = add_common_options(*command, "results/dataset");
  command->callback([options] {
    const auto files = commands::run_dataset(load_config(*options), options->out, command_options(*options));
    for (const auto& f : files) std::cout << "  wrote " << (std::filesystem::path(options->out) / f).string() << '\n';
  });
}

const bool registered = register_command(25, add_dataset_command);
}  // namespace

}  // namespace cotdyn::cli
