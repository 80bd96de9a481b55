#include <cotdyn/cli/common.hpp>

#include <iostream>

#include <fmt/format.h>

#include <cotdyn/core/directory_lock.hpp>
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
  // The registered models add their config sections, and the chosen one its defaults of generic keys.
  return models::resolve_config([&](Config& config) {
    if (!options.config_file.empty()) config.merge_file(options.config_file);
    for (const auto& assignment : options.assignments) config.apply_set(assignment);
  });
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
  core::lock_for_this_process(directory, "--out " + out);
  return directory;
}

}  // namespace cotdyn::cli
