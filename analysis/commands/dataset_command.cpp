#include <cotdyn/analysis/commands/dataset_command.hpp>

#include <stdexcept>

#include <fmt/format.h>

#include <cotdyn/core/manifest.hpp>
#include <cotdyn/core/output_directory.hpp>
#include <cotdyn/models/registry.hpp>

namespace cotdyn::commands {

namespace {
std::string models_with_dataset() {
  std::string names;
  for (const models::Model* model : models::all_models())
    if (!model->dataset_files().empty()) names += (names.empty() ? "" : ", ") + model->name();
  return names;
}
}  // namespace

std::vector<std::string> run_dataset(const core::Config& config, const std::string& out, const CommandOptions& options) {
  const models::Model& model = checked_model(config, options);
  config.get_integer_in("dataset.count", 1, 100'000'000);
  if (model.dataset_files().empty())  // before anything is written
    throw std::invalid_argument(fmt::format("model.kind = \"{}\": this model has no data generator to export; models "
                                            "with one: {}", model.name(), models_with_dataset()));
  core::Manifest manifest("dataset", config);
  const auto directory = core::open_output_directory(out);
  const auto files = model.write_dataset(config, directory.path.string());
  manifest.results()["files"] = files;
  manifest.write(directory.path);
  return files;
}

}  // namespace cotdyn::commands
