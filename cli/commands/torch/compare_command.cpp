// `cotdyn compare`: one config drives the ODE and the simulator at several d; the command reports
// how well the mean-field theory describes the trained model, in numbers and in figures.
#include <cmath>
#include <iostream>
#include <set>

#include <fmt/format.h>

#include "common.hpp"
#include "compare_report.hpp"
#include "csv_output.hpp"
#include "interrupt.hpp"
#include "manifest.hpp"
#include "output.hpp"
#include "resolve.hpp"
#include "resolve_simulation.hpp"
#include "training_loop.hpp"

namespace cotdyn::cli {

namespace {

std::vector<int> resolve_dims(const Config& config, const simulation::SimulationSettings& base) {
  const auto list = config.get_integer_list("compare.d");
  if (list.empty()) throw std::invalid_argument("compare.d = []: give at least one embedding dimension");
  std::vector<int> dims;
  for (auto d : list) {
    if (d < 1 || d > 1 << 16)
      throw std::invalid_argument(fmt::format("compare.d contains {}: each d must be in [1, 65536]", d));
    if (std::find(dims.begin(), dims.end(), static_cast<int>(d)) != dims.end())
      throw std::invalid_argument(fmt::format("compare.d contains {} twice", d));
    auto settings = base;
    settings.d = static_cast<int>(d);
    try {
      simulation::validate(settings);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(fmt::format("compare.d contains {}: {}", d, e.what()));
    }
    dims.push_back(static_cast<int>(d));
  }
  std::sort(dims.begin(), dims.end());
  return dims;
}

void add_compare_command(CLI::App& app) {
  auto* command = app.add_subcommand("compare", "run the ODE and the simulator from one config and compare them");
  auto options = add_common_options(*command, "results/compare");
  auto no_render = std::make_shared<bool>(false);
  command->add_flag("--no-render", *no_render, "write figure data and scripts, but do not run gnuplot");
  command->callback([options, no_render] {
    Config config = load_config(*options);
    auto settings = resolve_simulation_settings(config);
    if (settings.seeds < 2)
      throw std::invalid_argument(fmt::format(
          "train.seeds = {}: compare needs at least 2 seeds for a seed standard deviation", settings.seeds));
    const std::vector<int> dims = resolve_dims(config, settings);
    const auto parameters = resolve_model_parameters(config);
    const auto tolerances = resolve_tolerances(config);
    Manifest manifest("compare", config);
    const auto directory = prepare_output_directory(options->out);
    write_file_atomically(directory / "config.toml", config.to_toml() + "\n");

    simulation::RunOptions run_options;
    run_options.stop_requested = &interrupt_requested();
    compare::CompareInput input;
    input.parameters = parameters;
    input.tolerances = tolerances;
    input.t_max = settings.t_max;
    std::vector<simulation::Measurement> all_rows;
    std::vector<std::string> columns;
    bool interrupted = false;
    nlohmann::json failures = nlohmann::json::array();
    for (int d : dims) {
      settings.d = d;
      std::cout << fmt::format("cotdyn compare: simulating d = {} ({} seeds, {} steps)\n", d, settings.seeds,
                               simulation::observation_step(settings.t_max, d))
                << std::flush;
      const auto result = simulation::train(settings, run_options);
      columns = result.columns;
      all_rows.insert(all_rows.end(), result.measurements.begin(), result.measurements.end());
      for (const auto& f : result.status.failures) failures.push_back(f.message());
      if (result.status.interrupted) {
        interrupted = true;
        break;
      }
      input.runs.push_back(to_simulated_run(result, d));
    }
    if (!all_rows.empty()) {
      simulation::write_measurements_csv((directory / "simulation.csv").string(), columns, all_rows);
      simulation::write_summary_csv((directory / "simulation_summary.csv").string(), columns, all_rows);
    }
    manifest.json()["threads"]["used"] = settings.threads;
    if (interrupted || input.runs.empty()) {
      manifest.results() = {{"failed_seeds", failures}};
      manifest.write(directory, "interrupted");
      std::cout << "interrupted: measurements so far are in " << directory.string() << '\n';
      throw CLI::RuntimeError(130);
    }

    const compare::CompareOutcome outcome = compare::run_comparison(input);
    compare::write_comparison(outcome, input, directory, !*no_render);
    manifest.results() = compare::outcome_json(outcome);
    manifest.results()["failed_seeds"] = failures;
    manifest.write(directory);
    std::cout << outcome.report << "wrote " << directory.string() << '\n';
  });
}

const bool registered = register_command(40, add_compare_command);
}  // namespace

}  // namespace cotdyn::cli
