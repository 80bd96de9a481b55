#include <cotdyn/cli/common.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include <fmt/format.h>

#include <cotdyn/core/directory_lock.hpp>
#include <cotdyn/plots/atomic_write.hpp>
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
    command.add_flag("--strict", options->strict,
                     "treat warnings (a setting that cannot work, a run that left the theory's regime) as errors: exit status 3");
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

const models::Model& checked_model(const Config& config, const CommonOptions& options) {
  const models::Model& model = models::model_for(config);
  model.validate(config);
  for (const auto& warning : model.warnings(config)) {
    if (options.strict) throw WarningAsError(warning);
    std::cerr << "warning: " << warning << '\n';
  }
  return model;
}

void report_warnings(const std::vector<std::string>& warnings, const CommonOptions& options, const std::string& where) {
  if (warnings.empty()) return;
  if (options.strict) throw WarningAsError(fmt::format("{} (the results so far are in {})", warnings.front(), where));
  std::cerr << fmt::format("cotdyn: {} warning{} (in {}/manifest.json): the run left the regime the theory describes\n",
                           warnings.size(), warnings.size() == 1 ? "" : "s", where);
}

std::filesystem::path prepare_output_directory(const std::string& out) {
  std::filesystem::path directory(out);
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error || !std::filesystem::is_directory(directory))
    throw std::invalid_argument(fmt::format("--out {}: cannot create the directory ({})", out, error.message()));
  // A directory where no file can be made (read-only, immutable, no permission) is refused now, not
  // at the first result.
  const auto probe = plots::temporary_sibling(directory / "write_probe");
  const int descriptor = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (descriptor < 0)
    throw std::invalid_argument(fmt::format("--out {}: cannot write in the directory ({})", out, std::strerror(errno)));
  ::close(descriptor);
  std::filesystem::remove(probe, error);
  core::lock_for_this_process(directory, "--out " + out);
  return directory;
}

}  // namespace cotdyn::cli
