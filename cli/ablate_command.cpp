// `cotdyn ablate`: the ablation study. The solvable model (baseline) and one variant per [ablation]
// switch and per chosen pair of switches ([ablate]) are trained on a reduced workload, in parallel,
// and each is compared with the mean-field ODE and with the baseline at the same d: which
// restrictions of the solvable model the theory is robust to, and which break it.
#include <iostream>

#include <fmt/format.h>

#include <cotdyn/core/observation_grid.hpp>
#include <cotdyn/analysis/ablate/ablation_study.hpp>
#include <cotdyn/cli/common.hpp>
#include <cotdyn/core/interrupt.hpp>
#include <cotdyn/core/manifest.hpp>
#include <cotdyn/core/output.hpp>
#include <cotdyn/core/output_directory.hpp>
#include <cotdyn/models/state_tracking/resolve.hpp>
#include <cotdyn/analysis/ablate/run_variants.hpp>
#include <cotdyn/analysis/ablate/variants.hpp>

namespace cotdyn::cli {


namespace {

void add_ablate_command(CLI::App& app) {
  auto* command = app.add_subcommand(
      "ablate", "lift the solvable model's restrictions one switch (and pair) at a time, against the theory");
  auto options = add_common_options(*command, "results/ablate");
  auto no_render = std::make_shared<bool>(false);
  auto resume = std::make_shared<bool>(false);
  auto threads = std::make_shared<int>(0);
  command->add_flag("--no-render", *no_render, "write figure data and scripts, but do not run gnuplot");
  command->add_flag("--resume", *resume,
                    "continue the study in --out DIR with its saved config, skipping the runs it finished");
  command->add_option("--threads", *threads, "cores to use (0: all)")->check(CLI::NonNegativeNumber);
  command->callback([options, no_render, resume, threads] {
    before_libtorch("ablate");
    core::Config config;
    const std::filesystem::path out(options->out);
    CommonOptions saved;  // --resume: the study's own config
    saved.config_file = (out / "config.toml").string();
    if (*resume) {
      if (!options->config_file.empty() || !options->assignments.empty())
        throw std::invalid_argument("--resume takes the config saved in --out DIR; do not give --config or --set");
      if (!std::filesystem::is_regular_file(out / "config.toml"))
        throw std::invalid_argument(
            fmt::format("--resume: {} holds no config.toml (not a cotdyn ablate output directory)", out.string()));
      config = load_config(saved);
    } else {
      config = load_config(*options);
    }
    // Every input is checked before anything is written.
    const ablate::AblateSettings settings = ablate::resolve_ablate_settings(config);
    std::vector<ablate::Job> jobs = ablate::plan_jobs(config, settings);
    ablate::AblationInput input;
    input.parameters = models::state_tracking::resolve_model_parameters(config);
    input.tolerances = models::state_tracking::resolve_tolerances(config);
    input.t_max = core::resolve_t_max(config);
    input.dims = settings.dims;
    input.variants = settings.variants;

    core::Manifest manifest("ablate", config);
    manifest.json()["resumed"] = *resume;
    const auto output = core::open_output_directory(options->out);
    const auto& directory = output.path;
    if (!*resume) core::write_file_atomically(directory / "config.toml", config.to_toml() + "\n");
    std::cerr << fmt::format("cotdyn ablate: {} variants x {} d = {} runs, {} seeds each, t_max = {:g}\n",
                             settings.variants.size(), settings.dims.size(), jobs.size(), settings.seeds, input.t_max);

    ablate::RunnerOptions run_options;
    run_options.threads = *threads;
    run_options.directory = directory;
    run_options.resume = *resume;
    run_options.stop_requested = &core::interrupt_requested();
    run_options.log = [](const std::string& line) { std::cerr << line << '\n' << std::flush; };
    ablate::RunnerOutcome ran = ablate::run_variants(settings, std::move(jobs), run_options);
    manifest.json()["threads"]["used"] = {{"jobs_in_flight", ran.workers}, {"intra_op_threads", ran.intra_op_threads}};
    nlohmann::json failures = nlohmann::json::array();
    for (const auto& r : ran.runs)
      if (!r.error.empty())
        failures.push_back({{"variant", settings.variants[r.variant].name}, {"d", r.d}, {"error", r.error}});
    if (ran.interrupted) {
      manifest.results() = {{"finished_runs", ran.runs.size()}, {"failed_runs", failures}};
      manifest.write(directory, "interrupted");
      std::cout << fmt::format("interrupted: {} runs are saved; continue with: cotdyn ablate --resume --out {}\n",
                               ran.runs.size(), directory.string());
      throw CLI::RuntimeError(130);
    }
    input.runs = std::move(ran.runs);
    const ablate::AblationOutcome outcome = ablate::analyse(input);
    ablate::write_ablation(outcome, input, directory, !*no_render);
    manifest.results() = ablate::outcome_json(outcome);
    manifest.results()["failed_runs"] = failures;
    manifest.results()["seconds_training"] = ran.seconds;
    manifest.results()["resumed_runs"] = ran.resumed;
    manifest.write(directory, failures.empty() ? "complete" : "failed");
    std::cout << outcome.report << "wrote " << directory.string() << '\n';
    if (!failures.empty()) {
      std::cerr << fmt::format("cotdyn ablate: {} of {} runs failed (see the report); rerun them with: cotdyn ablate "
                               "--resume --out {}\n",
                               failures.size(), input.runs.size(), directory.string());
      throw CLI::RuntimeError(1);
    }
  });
}

const bool registered = register_command(45, add_ablate_command);
}  // namespace

}  // namespace cotdyn::cli
