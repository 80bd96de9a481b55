#include <cotdyn/analysis/commands/compare_command.hpp>

#include <algorithm>
#include <atomic>
#include <exception>
#include <limits>
#include <mutex>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <tbb/info.h>
#include <tbb/task_group.h>

#include <cotdyn/analysis/compare/model_comparison.hpp>
#include <cotdyn/core/manifest.hpp>
#include <cotdyn/core/output.hpp>
#include <cotdyn/core/output_directory.hpp>
#include <cotdyn/models/memory_check.hpp>
#include <cotdyn/models/registry.hpp>
#include <cotdyn/models/schedule.hpp>
#include <cotdyn/simulation/csv_output.hpp>
#include <cotdyn/simulation/progress_bar.hpp>
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

// One size's training run, announced on options.log (when set).
simulation::TrainingResult train_size(const models::Model& model, const core::Config& at_d,
                                      const simulation::RunOptions& training, const CommandOptions& options) {
  const auto schedule = models::schedule(model, at_d);
  if (options.log)
    options.log(fmt::format("cotdyn compare: simulating {} = {} ({} seeds, {} steps)", model.size_column(),
                            model.size_value(at_d), at_d.get_integer("train.seeds"), schedule.final_step()));
  auto system = model.simulated_system(at_d);
  if (!system) throw std::invalid_argument(fmt::format("model.kind = \"{}\": this build has no simulator", model.name()));
  return simulation::train(*system, schedule, training);
}

// How many sizes train at once: one per core when a run is serial (Model::training_threads) and
// there is more than one size; 1 (one after another) otherwise, and when progress goes to a caller's
// callback (the Python module's), which expects the calling thread. Each run is the same computation
// either way, so the results do not depend on it (BENCHMARKS.md, "The compare sizes side by side").
int side_by_side(const models::Model& model, const std::vector<core::Config>& sized, const CommandOptions& options) {
  if (sized.size() < 2 || options.on_progress) return 1;
  for (const auto& at_d : sized)
    if (model.training_threads(at_d) != 1) return 1;
  return std::max(1, std::min(static_cast<int>(sized.size()), tbb::info::default_concurrency()));
}

// The sizes' runs on `lanes` oneTBB tasks, each taking the next size not yet started, the longest
// first (so the longest run starts at once and the short ones fill the other lanes). One progress
// bar counts the steps of all of them; the results are in the order of `sized`.
std::vector<simulation::TrainingResult> train_side_by_side(const models::Model& model, const std::vector<core::Config>& sized,
                                                           int lanes, simulation::RunOptions training,
                                                           const CommandOptions& options) {
  std::vector<std::int64_t> steps;
  std::int64_t total = 0;
  for (const auto& at_d : sized) {
    steps.push_back(models::schedule(model, at_d).final_step());
    total += steps.back();
  }
  std::vector<std::size_t> order(sized.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return steps[a] > steps[b]; });
  if (options.log) {
    std::vector<std::string> parts;
    for (std::size_t k = 0; k < sized.size(); ++k)
      parts.push_back(fmt::format("{} = {} ({} seeds, {} steps)", model.size_column(), model.size_value(sized[k]),
                                  sized[k].get_integer("train.seeds"), steps[k]));
    options.log(fmt::format("cotdyn compare: simulating {}, {} at a time", fmt::join(parts, ", "), lanes));
  }

  simulation::ProgressBar bar(fmt::format("{} sizes", sized.size()), 0, total, training.progress);
  std::mutex bar_mutex;
  std::atomic<std::int64_t> done{0};
  training.progress = false;
  std::vector<simulation::TrainingResult> results(sized.size());
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  tbb::task_group lanes_group;
  for (int lane = 0; lane < lanes; ++lane)
    lanes_group.run([&] {
      for (std::size_t i = next++; i < order.size(); i = next++) {
        const std::size_t k = order[i];
        std::int64_t reported = 0;
        simulation::RunOptions run = training;
        run.on_progress = [&](std::int64_t step, std::int64_t) {
          const std::int64_t all = done += step - reported;
          reported = step;
          if (std::unique_lock lock(bar_mutex, std::try_to_lock); lock.owns_lock()) bar.update(all);
        };
        try {
          results[k] = train_size(model, sized[k], run, CommandOptions{});  // announced above, not again
        } catch (...) {
          std::lock_guard lock(failure_mutex);
          if (!failure) failure = std::current_exception();
          return;
        }
      }
    });
  lanes_group.wait();
  if (failure) std::rethrow_exception(failure);
  bar.update(done.load());
  bar.finish("done");
  return results;
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
  const int lanes = side_by_side(model, sized, options);
  const auto memory = models::run_memory(model, sized, lanes);
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
  const auto results = lanes > 1 ? train_side_by_side(model, sized, lanes, training, options) : std::vector<simulation::TrainingResult>{};
  for (std::size_t k = 0; k < dims.size(); ++k) {
    const int d = dims[k];
    const core::Config& at_d = sized[k];
    simulation::TrainingResult sequential;
    if (lanes == 1) sequential = train_size(model, at_d, training, options);
    const auto& result = lanes > 1 ? results[k] : sequential;
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
