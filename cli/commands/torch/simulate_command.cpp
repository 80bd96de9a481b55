// `cotdyn simulate`: trains the teacher-student transformer of SPEC section 2 (all seeds at once) and
// measures the order parameters of section 3. Ctrl-C stops cleanly; `--resume DIR` continues.
#include <iostream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common.hpp"
#include "interrupt.hpp"
#include "manifest.hpp"
#include "output.hpp"
#include "resolve_simulation.hpp"
#include "training_loop.hpp"

namespace cotdyn::cli {

namespace {
nlohmann::json status_json(const simulation::RunStatus& status) {
  nlohmann::json failures = nlohmann::json::array();
  for (const auto& f : status.failures) failures.push_back(f.message());
  return {{"interrupted", status.interrupted}, {"failed_seeds", failures}};
}

int finish(Manifest& manifest, const std::filesystem::path& directory, const simulation::RunStatus& status) {
  manifest.results() = status_json(status);
  for (const auto& f : status.failures) std::cerr << "cotdyn simulate: " << f.message() << '\n';
  manifest.write(directory, status.interrupted ? "interrupted" : "complete");
  std::cout << (status.interrupted ? "interrupted; resume with: cotdyn simulate --resume " : "wrote ")
            << directory.string() << '\n';
  return status.interrupted ? 130 : 0;
}

void add_simulate_command(CLI::App& app) {
  auto* command = app.add_subcommand("simulate", "train the transformer (many seeds at once) and measure it");
  auto options = add_common_options(*command, "results/simulate");
  auto resume = std::make_shared<std::string>();
  command->add_option("--resume", *resume, "continue the interrupted run in this directory");
  command->callback([options, resume] {
    simulation::RunOptions run_options;
    run_options.stop_requested = &interrupt_requested();
    if (!resume->empty()) {
      const std::filesystem::path directory(*resume);
      const auto settings = simulation::checkpoint_settings(directory.string());
      Config config;
      config.merge_file((directory / "config.toml").string());
      Manifest manifest("simulate", config);
      manifest.json()["resumed"] = true;
      const auto status = simulation::resume_simulation(directory.string(), run_options);
      if (finish(manifest, directory, status) != 0) throw CLI::RuntimeError(130);
      return;
    }
    const Config config = load_config(*options);
    const auto settings = resolve_simulation_settings(config);
    Manifest manifest("simulate", config);
    const auto directory = prepare_output_directory(options->out);
    write_file_atomically(directory / "config.toml", config.to_toml() + "\n");
    // A switch on trains the general model (full tensors, autograd), whatever model.logic says.
    const std::string model = settings.ablation.any()
                                  ? fmt::format("general model ({})", fmt::join(settings.ablation.active(), ", "))
                                  : "logic = " + settings.logic;
    std::cout << fmt::format("cotdyn simulate: {} seeds, d = {}, {}, {} steps each\n", settings.seeds, settings.d,
                             model, simulation::observation_step(settings.t_max, settings.d));
    const auto status = simulation::run_simulation(settings, directory.string(), run_options);
    if (finish(manifest, directory, status) != 0) throw CLI::RuntimeError(130);
  });
}

const bool registered = register_command(30, add_simulate_command);
}  // namespace

}  // namespace cotdyn::cli
