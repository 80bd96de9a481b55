#include <cotdyn/analysis/commands/compare_command.hpp>

#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include <cotdyn/analysis/compare/model_comparison.hpp>
#include <cotdyn/core/manifest.hpp>
#include <cotdyn/core/output.hpp>
#include <cotdyn/core/output_directory.hpp>
#include <cotdyn/models/memory_check.hpp>
#include <cotdyn/models/registry.hpp>
#include <cotdyn/models/schedule.hpp>
#include <cotdyn/simulation/csv_output.hpp>
#include <cotdyn/simulation/training_loop.hpp>

namespace cotdyn::commands {

namespace {

// One size's measured rows under that size's columns.
struct SizeRows {
  std::vector<std::string> columns;
  std::vector<simulation::Measurement> rows;
};

// simulation.csv and its summary hold every size under one header, but a model's columns may depend on
// its size (the two-hop model's logit-lens and bypass columns are per block): the header is every
// column of the largest size, then those only smaller sizes have, and a row gets NaN under a column its
// size does not have.
std::vector<std::string> aligned_rows(const std::vector<SizeRows>& sizes, std::vector<simulation::Measurement>& rows) {
  std::vector<std::string> columns;
  for (auto size = sizes.rbegin(); size != sizes.rend(); ++size)
    for (const auto& c : size->columns)
      if (std::find(columns.begin(), columns.end(), c) == columns.end()) columns.push_back(c);
  for (const auto& size : sizes)
    for (auto row : size.rows) {
      std::vector<double> values(columns.size(), std::numeric_limits<double>::quiet_NaN());
      for (std::size_t c = 0; c < size.columns.size(); ++c)
        values[std::size_t(std::find(columns.begin(), columns.end(), size.columns[c]) - columns.begin())] =
            row.values.at(c);
      row.values = std::move(values);
      rows.push_back(std::move(row));
    }
  return columns;
}

}  // namespace

std::vector<int> compare_sizes(const models::Model& model, const core::Config& config) {
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

core::Config compared_config(const models::Model& model, const core::Config& config, int d) {
  core::Config sized = models::at_size(model, config, d);
  const auto sizes = config.get_integer_list("compare.d");
  const auto seeds = config.get_integer_list("compare.seeds");
  if (seeds.empty()) return sized;
  if (seeds.size() != sizes.size())
    throw std::invalid_argument(fmt::format("compare.seeds has {} entries and compare.d {}: give one seed count per d, "
                                            "or [] for train.seeds at every d", seeds.size(), sizes.size()));
  for (std::size_t k = 0; k < sizes.size(); ++k) {
    if (seeds[k] < 2)
      throw std::invalid_argument(fmt::format("compare.seeds contains {} (for d = {}): compare needs at least 2 seeds "
                                              "for a seed standard deviation", seeds[k], sizes[k]));
    if (sizes[k] == d) sized.apply_set(fmt::format("train.seeds={}", seeds[k]));
  }
  return sized;
}

CompareOutcome run_compare(const core::Config& config, const std::string& out, const CommandOptions& options) {
  if (out.empty()) throw std::invalid_argument("compare writes into a directory: give one (--out DIR)");
  const models::Model& model = checked_model(config, options);
  model.validate_simulation(config);
  const auto seeds = config.get_integer("train.seeds");
  if (seeds < 2 && config.get_integer_list("compare.seeds").empty())
    throw std::invalid_argument(
        fmt::format("train.seeds = {}: compare needs at least 2 seeds for a seed standard deviation", seeds));
  const std::vector<int> dims = compare_sizes(model, config);
  std::vector<core::Config> sized;
  for (int d : dims) sized.push_back(compared_config(model, config, d));
  const auto memory = models::run_memory(model, sized);
  models::check_run_memory("cotdyn compare", memory);
  core::Manifest manifest("compare", config);
  manifest.json()["memory_estimate"] = models::memory_json(memory);
  const auto directory = core::open_output_directory(out);
  core::write_file_atomically(directory.path / "config.toml", config.to_toml() + "\n");

  const simulation::RunOptions training = run_options(options);
  CompareOutcome outcome;
  outcome.directory = directory.path;
  std::vector<compare::SimulatedRun> runs;
  std::vector<SizeRows> measured;
  bool interrupted = false, stopped_by_warning = false;
  nlohmann::json failures = nlohmann::json::array();
  for (std::size_t k = 0; k < dims.size(); ++k) {
    const int d = dims[k];
    const core::Config& at_d = sized[k];
    const auto schedule = models::schedule(model, at_d);
    if (options.log)
      options.log(fmt::format("cotdyn compare: simulating {} = {} ({} seeds, {} steps)", model.size_column(), d,
                              at_d.get_integer("train.seeds"), schedule.final_step()));
    auto system = model.simulated_system(at_d);
    if (!system) throw std::invalid_argument(fmt::format("model.kind = \"{}\": this build has no simulator", model.name()));
    const auto result = simulation::train(*system, schedule, training);
    measured.push_back({result.columns, result.measurements});
    for (const auto& f : result.status.failures) failures.push_back(f.message());
    for (const auto& w : result.status.warnings)
      outcome.warnings.push_back(fmt::format("{} = {}: {}", model.size_column(), d, w.message()));
    if (result.status.interrupted || result.status.stopped_by_warning) {
      interrupted = result.status.interrupted;
      stopped_by_warning = result.status.stopped_by_warning;
      break;
    }
    runs.push_back(compare::to_simulated_run(result, d));
  }
  std::vector<simulation::Measurement> all_rows;
  const std::vector<std::string> columns = aligned_rows(measured, all_rows);
  if (!all_rows.empty()) {
    simulation::write_measurements_csv((directory.path / "simulation.csv").string(), columns, all_rows,
                                       model.size_column());
    simulation::write_summary_csv((directory.path / "simulation_summary.csv").string(), columns, all_rows,
                                  model.size_column());
  }
  if (stopped_by_warning) {
    manifest.results() = {{"failed_seeds", failures}, {"warnings", outcome.warnings}};
    manifest.write(directory.path, "stopped by a warning (--strict)");
    report_warnings(outcome.warnings, options, directory.path.string());
  }
  if (interrupted || runs.empty()) {
    manifest.results() = {{"failed_seeds", failures}, {"warnings", outcome.warnings}};
    manifest.write(directory.path, "interrupted");
    outcome.interrupted = true;
    return outcome;
  }
  const compare::ComparisonResult compared = compare::compare_model(model, config, runs, directory.path, options.render);
  manifest.results() = compared.results;
  manifest.results()["failed_seeds"] = failures;
  manifest.results()["warnings"] = outcome.warnings;
  manifest.write(directory.path);
  outcome.report = compared.report;
  return outcome;
}

}  // namespace cotdyn::commands
