#include <cotdyn/cli/common.hpp>

#include <iostream>

#include <fmt/format.h>

#include <cotdyn/models/registry.hpp>

namespace cotdyn::cli {

using namespace core;

std::shared_ptr<CommonOptions> add_common_options(CLI::App& command, const std::string& default_out) {
  auto options = std::make_shared<CommonOptions>();
  command.add_option("--config", options->config_file, "TOML config file (default: the embedded config)")
      ->check(CLI::ExistingFile);
  command.add_option("--set", options->assignments, "override one key: --set section.key=value (repeatable)")
      ->allow_extra_args(false);
  if (!default_out.empty()) {
    options->out = default_out;
    command.add_option("--out", options->out, "output directory")->capture_default_str();
  }
  return options;
}

Config load_config(const CommonOptions& options) {
  models::all_models();  // the registered models add their config sections first
  const auto read = [&options](const std::vector<std::string>& model_defaults) {
    Config config;
    for (const auto& assignment : model_defaults) config.apply_set(assignment);
    if (!options.config_file.empty()) config.merge_file(options.config_file);
    for (const auto& assignment : options.assignments) config.apply_set(assignment);
    return config;
  };
  // The chosen model's defaults of shared keys go under the file and --set (docs/models.md).
  const Config config = read({});
  const auto model_defaults = models::model_for(config).default_overrides();
  return model_defaults.empty() ? config : read(model_defaults);
}

const models::Model& checked_model(const Config& config) {
  const models::Model& model = models::model_for(config);
  model.validate(config);
  for (const auto& warning : model.warnings(config)) std::cerr << "warning: " << warning << '\n';
  return model;
}

std::filesystem::path prepare_output_directory(const std::string& out) {
  std::filesystem::path directory(out);
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error || !std::filesystem::is_directory(directory))
    throw std::invalid_argument(fmt::format("--out {}: cannot create the directory ({})", out, error.message()));
  return directory;
}

}  // namespace cotdyn::cli
