// `cotdyn interaction`: the order-r interaction signals of INTERACTION.md, predicted in closed form
// and (when built with LibTorch) measured by autograd with the variance-reduced estimator.
#include <iostream>

#include <fmt/format.h>

#include <cotdyn/cli/common.hpp>
#include <cotdyn/interaction/interaction_output.hpp>
#include <cotdyn/core/manifest.hpp>
#ifdef COTDYN_WITH_TORCH
#include <cotdyn/interaction/measure.hpp>
#endif

namespace cotdyn::cli {


namespace {
void add_interaction_command(CLI::App& app) {
  auto* command = app.add_subcommand("interaction", "predict and measure order-r interaction signals");
  auto options = add_common_options(*command, "results/interaction");
  auto no_measure = std::make_shared<bool>(false);
  auto no_render = std::make_shared<bool>(false);
  command->add_flag("--no-measure", *no_measure, "closed forms only, no Monte Carlo measurement");
  command->add_flag("--no-render", *no_render, "write figure data and scripts, but do not run gnuplot");
  command->callback([options, no_measure, no_render] {
    const core::Config config = load_config(*options);
    const auto settings = interaction::resolve_interaction_settings(config);
    core::Manifest manifest("interaction", config);
    manifest.json()["seed"] = settings.seed;
    auto rows = interaction::predict_rows(settings);
    bool measured = false;
#ifdef COTDYN_WITH_TORCH
    if (!*no_measure) {
      std::cout << fmt::format("cotdyn interaction: measuring {} cells with {} antithetic pairs each\n", rows.size(),
                               settings.samples)
                << std::flush;
      interaction::measure_rows(rows, settings.samples, settings.seed);
      measured = true;
    }
#endif
    const auto slopes = interaction::fit_slopes(rows, settings.v);
    const auto directory = prepare_output_directory(options->out);
    interaction::interaction_table(rows).write(directory / "interaction.csv");
    interaction::slopes_table(slopes).write(directory / "slopes.csv");
    compression_table(interaction::cot_compression_table()).write(directory / "compression.csv");
    interaction::write_interaction_figures(settings, rows, slopes, directory / "figures", !*no_render);
    manifest.results()["measured"] = measured;
    manifest.results()["cells"] = rows.size();
    int outside = 0;
    for (const auto& row : rows)
      if (std::isfinite(row.ratio) && std::abs(row.delta_measured - row.delta_exact) > 3 * row.std_error &&
          std::abs(row.delta_measured - row.delta_exact) > 1e-10 * std::abs(row.delta_exact))
        ++outside;
    manifest.results()["cells_outside_3_stderr"] = outside;
    manifest.write(directory);
    std::cout << fmt::format("{} cells{}; slopes in slopes.csv; wrote {}\n", rows.size(),
                             measured ? fmt::format(", {} measured cells outside 3 standard errors", outside) : "",
                             directory.string());
  });
}

const bool registered = register_command(50, add_interaction_command);
}  // namespace

}  // namespace cotdyn::cli
