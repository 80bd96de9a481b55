// `cotdyn models`: the registered models, one line each; model.kind (or --set model.kind=NAME)
// chooses one.
#include <iostream>

#include <fmt/format.h>

#include <cotdyn/cli/common.hpp>
#include <cotdyn/models/registry.hpp>

namespace cotdyn::cli {

namespace {
void add_models_command(CLI::App& app) {
  auto* command = app.add_subcommand("models", "list the registered models (choose one with --set model.kind=NAME)");
  command->callback([] {
    for (const models::Model* model : models::all_models())
      std::cout << fmt::format("{:<16} {}\n", model->name(), model->summary());
  });
}

const bool registered = register_command(15, add_models_command);
}  // namespace

}  // namespace cotdyn::cli
