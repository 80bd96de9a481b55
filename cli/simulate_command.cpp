// `cotdyn simulate`: trains the chosen model's network (all seeds at once) and measures it on the
// observation grid (docs/models.md). Ctrl-C stops cleanly; `--resume DIR` continues from DIR's
// checkpoint with the system its config.toml describes.
#include <iostream>

#include <fmt/format.h>

#include <cotdyn/cli/common.hpp>
#include <cotdyn/core/directory_lock.hpp>
#include <cotdyn/core/interrupt.hpp>
#include <cotdyn/core/manifest.hpp>
#include <cotdyn/core/output.hpp>
#include <cotdyn/models/memory_check.hpp>
#include <cotdyn/models/registry.hpp>
#include <cotdyn/models/schedule.hpp>
#include <cotdyn/simulation/training_loop.hpp>

namespace cotdyn::cli {

namespace {
std::vector<std::string> warning_messages(const simulation::RunStatus& status) {
  std::vector<std::string> messages;
  for (const auto& w : status.warnings) messages.push_back(w.message());
  return messages;
}

nlohmann::json status_json(const simulation::RunStatus& status) {
  nlohmann::json failures = nlohmann::json::array();
  for (const auto& f : status.failures) failures.push_back(f.message());
  return {{"interrupted", status.interrupted}, {"failed_seeds", failures}, {"warnings", warning_messages(status)}};
}

void finish(core::Manifest& manifest, const std::filesystem::path& directory, const simulation::RunStatus& status,
            const CommonOptions& options) {
  manifest.results() = status_json(status);
  for (const auto& f : status.failures) std::cerr << "cotdyn simulate: " << f.message() << '\n';
  manifest.write(directory, status.interrupted          ? "interrupted"
                            : status.stopped_by_warning ? "stopped by a warning (--strict)"
                                                        : "complete");
  std::cout << (status.interrupted ? "interrupted; resume with: cotdyn simulate --resume " : "wrote ")
            << directory.string() << '\n';
  if (status.interrupted) throw CLI::RuntimeError(130);
  report_warnings(warning_messages(status), options, directory.string());
}

// The model and its simulated system; refuses a build without the simulator.
std::unique_ptr<simulation::SimulatedSystem> system_of(const models::Model& model, const core::Config& config) {
  model.validate(config);
  auto system = model.simulated_system(config);
  if (!system)
    throw std::invalid_argument(fmt::format("model.kind = \"{}\": this build has no simulator for it (LibTorch off)",
                                            model.name()));
  return system;
}

void add_simulate_command(CLI::App& app) {
  auto* command = app.add_subcommand("simulate", "train the model's network (many seeds at once) and measure it");
  auto options = add_common_options(*command, "results/simulate");
  auto resume = std::make_shared<std::string>();
  command->add_option("--resume", *resume, "continue the interrupted run in this directory");
  command->callback([options, resume] {
    simulation::RunOptions run_options;
    run_options.stop_requested = &core::interrupt_requested();
    run_options.strict = options->strict;
    if (!resume->empty()) {
      const std::filesystem::path directory(*resume);
      if (std::filesystem::is_directory(directory)) core::lock_for_this_process(directory, "--resume " + *resume);
      CommonOptions stored;
      stored.config_file = (directory / "config.toml").string();
      const core::Config config = load_config(stored);
      const models::Model& model = models::model_for(config);
      const auto memory = models::run_memory(model, {config});
      models::check_run_memory("cotdyn simulate --resume", memory);
      auto system = system_of(model, config);
      core::Manifest manifest("simulate", config);
      manifest.json()["resumed"] = true;
      manifest.json()["memory_estimate"] = models::memory_json(memory);
      finish(manifest, directory,
             simulation::resume_simulation(*system, models::schedule(model, config), directory.string(), run_options),
             *options);
      return;
    }
    const core::Config config = load_config(*options);
    const models::Model& model = checked_model(config, *options);
    model.validate_simulation(config);
    const auto memory = models::run_memory(model, {config});
    models::check_run_memory("cotdyn simulate", memory);
    auto system = system_of(model, config);
    const auto schedule = models::schedule(model, config);
    core::Manifest manifest("simulate", config);
    manifest.json()["memory_estimate"] = models::memory_json(memory);
    const auto directory = prepare_output_directory(options->out);
    core::write_file_atomically(directory / "config.toml", config.to_toml() + "\n");
    std::cout << "cotdyn simulate: " << model.simulation_summary(config) << '\n';
    finish(manifest, directory, simulation::run_simulation(*system, schedule, directory.string(), run_options), *options);
  });
}

const bool registered = register_command(30, add_simulate_command);
}  // namespace

}  // namespace cotdyn::cli
