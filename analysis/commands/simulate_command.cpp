#include <cotdyn/analysis/commands/simulate_command.hpp>

#include <iostream>
#include <optional>

#include <fmt/format.h>

#include <cotdyn/core/directory_lock.hpp>
#include <cotdyn/core/manifest.hpp>
#include <cotdyn/core/output.hpp>
#include <cotdyn/core/output_directory.hpp>
#include <cotdyn/models/memory_check.hpp>
#include <cotdyn/models/registry.hpp>
#include <cotdyn/models/schedule.hpp>
#include <cotdyn/simulation/training_loop.hpp>

namespace cotdyn::commands {

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

// The end of a run into a directory: failures on stderr, the manifest with the run's status.
void finish(core::Manifest& manifest, const std::filesystem::path& directory, const simulation::RunStatus& status) {
  manifest.results() = status_json(status);
  for (const auto& f : status.failures) std::cerr << "cotdyn simulate: " << f.message() << '\n';
  manifest.write(directory, status.interrupted          ? "interrupted"
                            : status.stopped_by_warning ? "stopped by a warning (--strict)"
                                                        : "complete");
}

// The model's simulated system; refuses a build without the simulator.
std::unique_ptr<simulation::SimulatedSystem> system_of(const models::Model& model, const core::Config& config) {
  model.validate(config);
  auto system = model.simulated_system(config);
  if (!system)
    throw std::invalid_argument(fmt::format("model.kind = \"{}\": this build has no simulator for it (LibTorch off)",
                                            model.name()));
  return system;
}

}  // namespace

std::vector<std::string> SimulateOutcome::warnings() const { return warning_messages(result.status); }

SimulateOutcome run_simulate(const core::Config& config, const std::string& out, const CommandOptions& options) {
  const models::Model& model = checked_model(config, options);
  model.validate_simulation(config);
  const auto memory = models::run_memory(model, {config});
  models::check_run_memory("cotdyn simulate", memory);
  auto system = system_of(model, config);
  const auto schedule = models::schedule(model, config);
  SimulateOutcome outcome;
  outcome.size_column = model.size_column();
  if (out.empty()) {
    if (options.log) options.log("cotdyn simulate: " + model.simulation_summary(config));
    outcome.result = simulation::train(*system, schedule, run_options(options));
    return outcome;
  }
  core::Manifest manifest("simulate", config);
  manifest.json()["memory_estimate"] = models::memory_json(memory);
  const auto directory = core::open_output_directory(out);
  core::write_file_atomically(directory.path / "config.toml", config.to_toml() + "\n");
  if (options.log) options.log("cotdyn simulate: " + model.simulation_summary(config));
  outcome.directory = directory.path;
  outcome.result.columns = system->observable_names();
  outcome.result.status = simulation::run_simulation(*system, schedule, directory.path.string(), run_options(options));
  finish(manifest, directory.path, outcome.result.status);
  return outcome;
}

SimulateOutcome resume_simulate(const std::string& resume, const CommandOptions& options) {
  const std::filesystem::path directory(resume);
  std::optional<core::DirectoryLock> lock;
  if (std::filesystem::is_directory(directory)) lock.emplace(directory, "--resume " + resume);
  ConfigSource stored;
  stored.file = (directory / "config.toml").string();
  const core::Config config = load_config(stored);
  const models::Model& model = models::model_for(config);
  const auto memory = models::run_memory(model, {config});
  models::check_run_memory("cotdyn simulate --resume", memory);
  auto system = system_of(model, config);
  core::Manifest manifest("simulate", config);
  manifest.json()["resumed"] = true;
  manifest.json()["memory_estimate"] = models::memory_json(memory);
  SimulateOutcome outcome;
  outcome.size_column = model.size_column();
  outcome.directory = directory;
  outcome.result.columns = system->observable_names();
  outcome.result.status =
      simulation::resume_simulation(*system, models::schedule(model, config), directory.string(), run_options(options));
  finish(manifest, directory, outcome.result.status);
  return outcome;
}

}  // namespace cotdyn::commands
