// `cotdyn compare`: one config drives the model's theory and its simulation at every size of
// compare.d; the command reports how well the theory describes the trained network, in numbers
// and in figures (analysis/compare/model_comparison.hpp).
#include <algorithm>
#include <iostream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include <cotdyn/analysis/compare/model_comparison.hpp>
#include <cotdyn/cli/common.hpp>
#include <cotdyn/core/interrupt.hpp>
#include <cotdyn/core/manifest.hpp>
#include <cotdyn/core/output.hpp>
#include <cotdyn/models/memory_check.hpp>
#include <cotdyn/models/registry.hpp>
#include <cotdyn/models/schedule.hpp>
#include <cotdyn/simulation/csv_output.hpp>
#include <cotdyn/simulation/training_loop.hpp>

namespace cotdyn::cli {

namespace {

// compare.d: distinct sizes, each valid for the model's simulation; increasing.
std::vector<int> resolve_dims(const models::Model& model, const core::Config& config) {
  const auto list = config.get_integer_list("compare.d");
  if (list.empty()) throw std::invalid_argument("compare.d = []: give at least one size");
  std::vector<int> dims;
  for (auto d : list) {
    if (d < 1 || d > 1 << 16)
      throw std::invalid_argument(fmt::format("compare.d contains {}: each d must be in [1, 65536]", d));
    if (std::find(dims.begin(), dims.end(), static_cast<int>(d)) != dims.end())
      throw std::invalid_argument(fmt::format("compare.d contains {} twice", d));
    try {
      const auto c = models::at_size(model, config, static_cast<int>(d));
      model.validate(c);
      model.validate_simulation(c);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(fmt::format("compare.d contains {}: {}", d, e.what()));
    }
    dims.push_back(static_cast<int>(d));
  }
  std::sort(dims.begin(), dims.end());
  return dims;
}

void add_compare_command(CLI::App& app) {
  auto* command = app.add_subcommand("compare", "run the theory and the simulation from one config and compare them");
  auto options = add_common_options(*command, "results/compare");
  auto no_render = std::make_shared<bool>(false);
  command->add_flag("--no-render", *no_render, "write figure data and scripts, but do not run gnuplot");
  command->callback([options, no_render] {
    const core::Config config = load_config(*options);
    const models::Model& model = checked_model(config, *options);
    model.validate_simulation(config);
    const auto seeds = config.get_integer("train.seeds");
    if (seeds < 2)
      throw std::invalid_argument(
          fmt::format("train.seeds = {}: compare needs at least 2 seeds for a seed standard deviation", seeds));
    const std::vector<int> dims = resolve_dims(model, config);
    std::vector<core::Config> sized;
    for (int d : dims) sized.push_back(models::at_size(model, config, d));
    const auto memory = models::run_memory(model, sized);
    models::check_run_memory("cotdyn compare", memory);
    core::Manifest manifest("compare", config);
    manifest.json()["memory_estimate"] = models::memory_json(memory);
    const auto directory = prepare_output_directory(options->out);
    core::write_file_atomically(directory / "config.toml", config.to_toml() + "\n");

    simulation::RunOptions run_options;
    run_options.stop_requested = &core::interrupt_requested();
    run_options.strict = options->strict;
    std::vector<compare::SimulatedRun> runs;
    std::vector<simulation::Measurement> all_rows;
    std::vector<std::string> columns;
    bool interrupted = false, stopped_by_warning = false;
    nlohmann::json failures = nlohmann::json::array();
    std::vector<std::string> warnings;
    for (int d : dims) {
      const core::Config at_d = models::at_size(model, config, d);
      const auto schedule = models::schedule(model, at_d);
      std::cout << fmt::format("cotdyn compare: simulating {} = {} ({} seeds, {} steps)\n", model.size_column(), d,
                               seeds, schedule.final_step())
                << std::flush;
      auto system = model.simulated_system(at_d);
      if (!system) throw std::invalid_argument(fmt::format("model.kind = \"{}\": this build has no simulator", model.name()));
      const auto result = simulation::train(*system, schedule, run_options);
      columns = result.columns;
      all_rows.insert(all_rows.end(), result.measurements.begin(), result.measurements.end());
      for (const auto& f : result.status.failures) failures.push_back(f.message());
      for (const auto& w : result.status.warnings)
        warnings.push_back(fmt::format("{} = {}: {}", model.size_column(), d, w.message()));
      if (result.status.interrupted || result.status.stopped_by_warning) {
        interrupted = result.status.interrupted;
        stopped_by_warning = result.status.stopped_by_warning;
        break;
      }
      runs.push_back(compare::to_simulated_run(result, d));
    }
    if (!all_rows.empty()) {
      simulation::write_measurements_csv((directory / "simulation.csv").string(), columns, all_rows,
                                         model.size_column());
      simulation::write_summary_csv((directory / "simulation_summary.csv").string(), columns, all_rows,
                                    model.size_column());
    }
    if (stopped_by_warning) {
      manifest.results() = {{"failed_seeds", failures}, {"warnings", warnings}};
      manifest.write(directory, "stopped by a warning (--strict)");
      report_warnings(warnings, *options, directory.string());
    }
    if (interrupted || runs.empty()) {
      manifest.results() = {{"failed_seeds", failures}, {"warnings", warnings}};
      manifest.write(directory, "interrupted");
      std::cout << "interrupted: measurements so far are in " << directory.string() << '\n';
      throw CLI::RuntimeError(130);
    }
    const compare::ComparisonResult outcome = compare::compare_model(model, config, runs, directory, !*no_render);
    manifest.results() = outcome.results;
    manifest.results()["failed_seeds"] = failures;
    manifest.results()["warnings"] = warnings;
    manifest.write(directory);
    std::cout << outcome.report << "wrote " << directory.string() << '\n';
    report_warnings(warnings, *options, directory.string());
  });
}

const bool registered = register_command(40, add_compare_command);
}  // namespace

}  // namespace cotdyn::cli
