// `cotdyn theory`: integrates the mean-field ODE (SPEC section 4) and predicts accuracy (section 6).
#include <iostream>

#include <fmt/format.h>

#include "common.hpp"
#include "manifest.hpp"
#include "resolve.hpp"
#include "theory_output.hpp"

namespace cotdyn::cli {

namespace {
void add_theory_command(CLI::App& app) {
  auto* command = app.add_subcommand("theory", "integrate the mean-field ODE and predict accuracy");
  auto options = add_common_options(*command, "results/theory");
  command->callback([options] {
    const Config config = load_config(*options);
    Manifest manifest("theory", config);
    const auto parameters = resolve_model_parameters(config);
    const auto tolerances = resolve_tolerances(config);
    const auto times = resolve_observation_times(config);
    const double d = static_cast<double>(config.get_integer("model.d"));
    if (!(d >= 1)) throw std::invalid_argument(fmt::format("model.d = {}: must be >= 1", d));

    const auto result = meanfield::run_theory(parameters, times, tolerances, {d});
    const auto directory = prepare_output_directory(options->out);
    theory_table(result).write(directory / "theory.csv");
    manifest.results() = milestones_json(result);
    manifest.write(directory);
    std::cout << fmt::format("cotdyn theory: n = {}, K = {}, L = {}, eta_W = {}, eta_A = {}, sigma2 = {}, d = {}\n",
                             parameters.n, parameters.K, parameters.L, parameters.eta_W, parameters.eta_A,
                             parameters.sigma2, d)
              << milestones_report(result) << "  wrote " << (directory / "theory.csv").string() << '\n';
  });
}

const bool registered = register_command(20, add_theory_command);
}  // namespace

}  // namespace cotdyn::cli
