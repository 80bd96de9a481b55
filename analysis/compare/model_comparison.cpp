#include <cotdyn/analysis/compare/model_comparison.hpp>

#include <cmath>
#include <functional>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include <cotdyn/analysis/compare/compare_report.hpp>
#include <cotdyn/analysis/compare/discrepancy.hpp>
#include <cotdyn/core/observation_grid.hpp>
#include <cotdyn/core/output.hpp>
#include <cotdyn/models/state_tracking/resolve.hpp>
#include <cotdyn/plots/plots.hpp>

namespace cotdyn::compare {

namespace {

using Specialised = std::function<ComparisonResult(const core::Config&, const std::vector<SimulatedRun>&,
                                                   const std::filesystem::path&, bool)>;

// The state-tracking model's own comparison (compare_report.hpp).
ComparisonResult compare_state_tracking(const core::Config& config, const std::vector<SimulatedRun>& runs,
                                        const std::filesystem::path& directory, bool render) {
  CompareInput input;
  input.parameters = models::state_tracking::resolve_model_parameters(config);
  input.tolerances = models::state_tracking::resolve_tolerances(config);
  input.t_max = core::resolve_t_max(config);
  input.runs = runs;
  input.gram = models::state_tracking::resolve_finite_size(config);
  input.pairs = models::state_tracking::compared_quantities(meanfield::has_label_noise(input.parameters),
                                                            input.gram.has_value());
  const CompareOutcome outcome = run_comparison(input);
  write_comparison(outcome, input, directory, render);
  return {outcome.report, outcome_json(outcome)};
}

// Models with a comparison of their own, by model.kind.
const std::map<std::string, Specialised>& specialised() {
  static const std::map<std::string, Specialised> table = {{"state_tracking", compare_state_tracking}};
  return table;
}

std::vector<QuantityPair> pairs_of(const models::Model& model, const core::Config& config) {
  std::vector<QuantityPair> pairs;
  for (const auto& q : model.compared(config)) pairs.push_back({q.simulated, q.theory});
  return pairs;
}

// The runs with the model's derived columns (models::ComparisonAdditions::derived) added to each seed.
std::vector<SimulatedRun> with_derived_columns(const std::vector<SimulatedRun>& runs,
                                               const models::ComparisonAdditions& added) {
  std::vector<SimulatedRun> out = runs;
  if (added.derived_pairs.empty()) return out;
  if (added.derived.size() != runs.size())
    throw std::logic_error(fmt::format("a model derived columns for {} sizes of {}", added.derived.size(), runs.size()));
  for (std::size_t k = 0; k < runs.size(); ++k) {
    if (added.derived[k].size() != runs[k].seeds.size())
      throw std::logic_error(fmt::format("a model derived columns for {} seeds of {} at size {}", added.derived[k].size(),
                                         runs[k].seeds.size(), runs[k].d));
    for (std::size_t e = 0; e < runs[k].seeds.size(); ++e) {
      const auto& derived = added.derived[k][e];
      if (derived.rows.size() != runs[k].seeds[e].t.size())
        throw std::logic_error(fmt::format("a model derived {} rows for {} observations", derived.rows.size(),
                                           runs[k].seeds[e].t.size()));
      for (const auto& name : derived.columns)
        if (name != "t") out[k].seeds[e].values[name] = derived.column(name);
    }
  }
  return out;
}

void write_overlay(const models::Model& model, const core::Config& config, const std::vector<SimulatedRun>& runs,
                   const std::vector<TheorySeries>& theory, const std::filesystem::path& directory, bool render) {
  const std::string size = model.size_column();
  // A grid that spans more than two decades is drawn on a log time axis.
  const auto& t = runs.front().times();
  double first_positive = 0;
  for (double x : t)
    if (x > 0) {
      first_positive = x;
      break;
    }
  const bool log_time = first_positive > 0 && t.back() > 100 * first_positive;
  plots::Figure figure;
  figure.name = "comparison";
  figure.title = fmt::format("{}: theory (lines) against simulation (seed mean, bars = 1 s.d.)", plots::literal(model.name()));
  figure.columns = 2;
  for (const auto& q : model.compared(config)) {
    plots::Panel panel;
    panel.title = plots::literal(q.simulated == q.theory ? q.simulated : q.simulated + " vs theory " + q.theory);
    panel.x_label = "t";
    panel.log_x = log_time;
    if (log_time) panel.x_range.min = first_positive;
    for (std::size_t k = 0; k < runs.size(); ++k) {
      const auto color = plots::palette_color(k);
      panel.add(plots::Series::line(fmt::format("theory, {} = {}", size, runs[k].d), theory[k].t,
                                    theory[k].values.at(q.theory))
                    .with_color(color));
      panel.add(plots::Series::error_bars(fmt::format("{} = {}", size, runs[k].d), runs[k].times(),
                                          runs[k].mean(q.simulated), runs[k].std_dev(q.simulated))
                    .with_color(color)
                    .with_points(7, 0.7));
    }
    figure.panels.push_back(panel);
  }
  if (render)
    plots::save_figure(figure, directory / "figures");
  else
    plots::write_figure(figure, directory / "figures");
}

}  // namespace

TheorySeries series_of(const models::Trajectory& trajectory, int size) {
  TheorySeries series;
  series.d = size;
  series.t = trajectory.column("t");
  for (const auto& name : trajectory.columns) series.values[name] = trajectory.column(name);
  return series;
}

TheorySeries theory_at_size(const models::Model& model, const core::Config& config, int size,
                            const std::vector<double>& times) {
  return series_of(model.theory_at_size(config, size, times), size);
}

ComparisonResult compare_model(const models::Model& model, const core::Config& config,
                               const std::vector<SimulatedRun>& runs, const std::filesystem::path& directory,
                               bool render_figures) {
  if (const auto it = specialised().find(model.name()); it != specialised().end())
    return it->second(config, runs, directory, render_figures);

  std::vector<models::Trajectory> trajectories;
  std::vector<TheorySeries> theory;
  for (const auto& run : runs) {
    trajectories.push_back(model.theory_at_size(config, run.d, run.times()));
    theory.push_back(series_of(trajectories.back(), run.d));
  }
  // What the model adds (models::Model::comparison_additions), from the same runs and theory.
  std::vector<models::ComparedSize> sizes;
  for (std::size_t k = 0; k < runs.size(); ++k) {
    models::ComparedSize size{runs[k].d, {}, {}, trajectories[k]};
    for (const auto& seed : runs[k].seeds) {
      models::Trajectory measured;
      measured.columns = {"t"};
      for (const auto& [name, values] : seed.values) measured.columns.push_back(name);
      for (std::size_t j = 0; j < seed.t.size(); ++j) {
        std::vector<double> row = {seed.t[j]};
        for (const auto& [name, values] : seed.values) row.push_back(values[j]);
        measured.rows.push_back(row);
      }
      size.seeds.push_back(seed.seed);
      size.measured.push_back(std::move(measured));
    }
    sizes.push_back(std::move(size));
  }
  const models::ComparisonAdditions added = model.comparison_additions(config, sizes);

  // The model's pairs, then its derived pairs on the runs with its derived columns.
  auto pairs = pairs_of(model, config);
  pairs.insert(pairs.end(), added.derived_pairs.begin(), added.derived_pairs.end());
  const std::vector<SimulatedRun> compared_runs = with_derived_columns(runs, added);
  std::vector<Discrepancy> discrepancies;
  for (std::size_t k = 0; k < runs.size(); ++k)
    for (const auto& q : pairs) discrepancies.push_back(discrepancy(compared_runs[k], theory[k], q));
  std::vector<PowerLawFit> fits;
  if (runs.size() >= 2) fits = fit_finite_size(discrepancies, pairs);

  const bool has_pairs = !pairs.empty();
  if (has_pairs) write_discrepancy_tables(discrepancies, fits, directory, model.size_column());
  {
    std::vector<std::string> columns = {model.size_column()};
    columns.insert(columns.end(), trajectories.front().columns.begin(), trajectories.front().columns.end());
    core::CsvTable table(columns);
    for (std::size_t k = 0; k < runs.size(); ++k)
      for (const auto& row : trajectories[k].rows) {
        std::vector<double> values = {double(runs[k].d)};
        values.insert(values.end(), row.begin(), row.end());
        table.add_row(values);
      }
    table.write(directory / "theory.csv");
  }
  if (!model.compared(config).empty()) write_overlay(model, config, runs, theory, directory, render_figures);
  if (!added.predictions.empty()) models::predictions_table(added.predictions).write(directory / "predictions.csv");
  for (const auto& table : added.tables) table.table.write(directory / table.file);
  std::vector<std::string> own_figures;
  for (const auto& figure : added.figures) {
    if (render_figures)
      plots::save_figure(figure, directory / "figures");
    else
      plots::write_figure(figure, directory / "figures");
    own_figures.push_back("figures/" + figure.name);
  }

  ComparisonResult result;
  result.report = fmt::format("# cotdyn compare: model {}, theory against simulation\n\n{} seeds per {}.\n\n",
                              model.name(), runs.front().seeds.size(), model.size_column());
  if (has_pairs) result.report += discrepancy_report(discrepancies, fits, model.size_column());
  if (!added.predictions.empty())
    result.report += "\n## Predictions against measurement\n\n" + models::predictions_markdown(added.predictions) +
                     "\n(also predictions.csv)\n";
  std::vector<std::string> figure_names;
  if (!model.compared(config).empty()) figure_names.push_back("figures/comparison");
  figure_names.insert(figure_names.end(), own_figures.begin(), own_figures.end());
  if (!figure_names.empty()) result.report += "\nFigures: " + figure_names.front();
  for (std::size_t i = 1; i < figure_names.size(); ++i) result.report += ", " + figure_names[i];
  if (!figure_names.empty()) result.report += " (PNG, PDF, data and gnuplot script).\n";
  if (!added.report.empty()) result.report += "\n" + added.report;
  if (!added.results.is_null()) result.results.update(added.results);
  for (const auto& c : added.predictions)
    result.results["predictions"].push_back({{"name", c.name}, {"measured", c.measured}, {"verdict", c.verdict}});
  std::string warnings;
  for (const auto& run : runs)
    for (const auto& w : run.warnings) warnings += fmt::format("- {} = {}: {}\n", model.size_column(), run.d, w);
  if (!warnings.empty())
    result.report += "\n## Warnings: the simulation left the regime the theory describes\n\n" + warnings;
  core::write_file_atomically(directory / "report.md", result.report);
  for (const auto& x : discrepancies)
    result.results["rms"][std::to_string(x.d)][x.quantity] = std::isfinite(x.rms) ? nlohmann::json(x.rms) : nlohmann::json(nullptr);
  for (const auto& f : fits)
    result.results["finite_size_exponent"][f.quantity] = {
        {"exponent", std::isfinite(f.exponent) ? nlohmann::json(f.exponent) : nlohmann::json(nullptr)},
        {"stderr", std::isfinite(f.exponent_stderr) ? nlohmann::json(f.exponent_stderr) : nlohmann::json(nullptr)}};
  return result;
}

}  // namespace cotdyn::compare
