#include <cotdyn/analysis/commands/interaction_command.hpp>

#include <cmath>

#include <fmt/format.h>

#include <cotdyn/core/manifest.hpp>
#include <cotdyn/core/output_directory.hpp>
#include <cotdyn/interaction/interaction_output.hpp>
#ifdef COTDYN_WITH_TORCH
#include <cotdyn/interaction/measure.hpp>
#endif

namespace cotdyn::commands {

InteractionOutcome run_interaction(const core::Config& config, const std::string& out, bool measure,
                                   const CommandOptions& options) {
  if (out.empty()) throw std::invalid_argument("interaction writes into a directory: give one (--out DIR)");
  const auto settings = interaction::resolve_interaction_settings(config);
  core::Manifest manifest("interaction", config);
  manifest.json()["seed"] = settings.seed;
  auto rows = interaction::predict_rows(settings);
  InteractionOutcome outcome;
#ifdef COTDYN_WITH_TORCH
  if (measure) {
    if (options.log)
      options.log(fmt::format("cotdyn interaction: measuring {} cells with {} antithetic pairs each", rows.size(),
                              settings.samples));
    interaction::measure_rows(rows, settings.samples, settings.seed);
    outcome.measured = true;
  }
#else
  (void)measure;
#endif
  const auto slopes = interaction::fit_slopes(rows, settings.v);
  const auto directory = core::open_output_directory(out);
  interaction::interaction_table(rows).write(directory.path / "interaction.csv");
  interaction::slopes_table(slopes).write(directory.path / "slopes.csv");
  compression_table(interaction::cot_compression_table()).write(directory.path / "compression.csv");
  interaction::write_interaction_figures(settings, rows, slopes, directory.path / "figures", options.render);
  manifest.results()["measured"] = outcome.measured;
  manifest.results()["cells"] = rows.size();
  for (const auto& row : rows)
    if (std::isfinite(row.ratio) && std::abs(row.delta_measured - row.delta_exact) > 3 * row.std_error &&
        std::abs(row.delta_measured - row.delta_exact) > 1e-10 * std::abs(row.delta_exact))
      ++outcome.cells_outside_3_stderr;
  manifest.results()["cells_outside_3_stderr"] = outcome.cells_outside_3_stderr;
  manifest.write(directory.path);
  outcome.directory = directory.path;
  outcome.cells = rows.size();
  return outcome;
}

}  // namespace cotdyn::commands
