// `cotdyn dataset`: what the chosen model's data generator produces, for people who want to look at
// or reuse the data (docs/models.md, Model::write_dataset).
#include <iostream>
#include <stdexcept>

#include <fmt/format.h>

#include <cotdyn/cli/common.hpp>
#include <cotdyn/core/manifest.hpp>
#include <cotdyn/models/registry.hpp>

namespace cotdyn::cli {

namespace {
std::string models_with_dataset() {
  std::string names;
  for (const models::Model* model : models::all_models())
    if (!model->dataset_files().empty()) names += (names.empty() ? "" : ", ") + model->name();
  return names;
}

void add_dataset_command(CLI::App& app) {
  auto* command = app.add_subcommand("dataset", "write the data the model's generator produces (dataset.count inputs per stream)");
  auto options = add_common_options(*command, "results/dataset");
  command->callback([options] {
    const core::Config config = load_config(*options);
    const models::Model& model = checked_model(config, *options);
    config.get_integer_in("dataset.count", 1, 100'000'000);
    if (model.dataset_files().empty())  // before anything is written
      throw std::invalid_argument(fmt::format("model.kind = \"{}\": this model has no data generator to export; models "
                                              "with one: {}", model.name(), models_with_dataset()));
    core::Manifest manifest("dataset", config);
    const auto directory = prepare_output_directory(options->out);
    const auto files = model.write_dataset(config, directory.string());
    manifest.results()["files"] = files;
    manifest.write(directory);
    for (const auto& f : files) std::cout << "  wrote " << (directory / f).string() << '\n';
  });
}

const bool registered = register_command(25, add_dataset_command);
}  // namespace

}  // namespace cotdyn::cli
