// `cotdyn sweep SWEEP.toml`: parameter sweeps over dotted config keys (theory, simulate or compare
// points, in parallel), resumable and splittable across machines; `cotdyn sweep merge` joins shards; `cotdyn sweep plot`
// draws heatmaps and milestone lines from a sweep directory. See docs/sweeps.md.
#include <iostream>

#include <fmt/format.h>

#include <cotdyn/analysis/commands/sweep_command.hpp>
#include <cotdyn/analysis/sweep/shard.hpp>
#include <cotdyn/analysis/sweep/sweep_directory.hpp>
#include <cotdyn/analysis/sweep/sweep_figures.hpp>
#include <cotdyn/cli/common.hpp>

namespace cotdyn::cli {


namespace {

struct SweepCommandOptions {
  std::string sweep_file;
  bool resume = false;
  bool yes = false;
  std::size_t max_points = 5000;
  std::string shard;
  int threads = 0;
  bool mpi = false;
  bool no_plots = false;
};

void add_merge_command(CLI::App& sweep_app) {
  auto* merge = sweep_app.add_subcommand("merge", "join the outputs of sweep shards into one directory");
  auto shards = std::make_shared<std::vector<std::string>>();
  auto out = std::make_shared<std::string>();
  auto no_plots = std::make_shared<bool>(false);
  merge->add_option("shards", *shards, "shard output directories (each holds sweep.json)")->required();
  merge->add_option("--out", *out, "merged output directory")->required();
  merge->add_flag("--no-plots", *no_plots, "do not draw the figures");
  merge->callback([shards, out, no_plots] {
    std::vector<std::filesystem::path> directories(shards->begin(), shards->end());
    const auto table = sweep::merge_sweep_directories(directories, *out);
    std::cout << fmt::format("cotdyn sweep merge: {} shards -> {}: {} of {} points\n", directories.size(), *out,
                             table.rows.size(), table.point_count);
    if (!*no_plots) commands::write_sweep_figures(table, *out, std::cout);
  });
}

void add_plot_command(CLI::App& sweep_app) {
  auto* plot = sweep_app.add_subcommand("plot", "draw heatmaps or milestone lines from a sweep directory");
  struct PlotOptions {
    std::string directory, x, y;
    std::vector<std::string> milestones;
  };
  auto options = std::make_shared<PlotOptions>();
  plot->add_option("directory", options->directory, "sweep output directory")->required();
  plot->add_option("--x", options->x, "axis (dotted key) along x");
  plot->add_option("--y", options->y, "second axis: draws heatmaps over --x and --y");
  plot->add_option("--milestone", options->milestones, "milestones of the heatmap (repeatable; default t_half)");
  plot->callback([options] {
    const auto table = sweep::read_points_table(options->directory);
    const auto figures = std::filesystem::path(options->directory) / "figures";
    std::vector<std::string> names;
    if (!options->y.empty()) {
      if (options->x.empty()) throw std::invalid_argument("sweep plot --y needs --x");
      const auto milestones = options->milestones.empty() ? std::vector<std::string>{"t_half"} : options->milestones;
      names.push_back(sweep::heatmap_figure(table, options->x, options->y, milestones, figures));
    } else if (!options->x.empty()) {
      names.push_back(sweep::milestone_lines_figure(table, options->x, figures));
    } else {
      names = sweep::default_sweep_figures(table, figures);
    }
    for (const auto& name : names) std::cout << "wrote " << (figures / (name + ".png")).string() << '\n';
  });
}

void add_sweep_command(CLI::App& app) {
  auto* command = app.add_subcommand("sweep", "run a parameter sweep (theory, simulate or compare points, in parallel, resumable)");
  auto common = add_common_options(*command, "results/sweep");
  auto options = std::make_shared<SweepCommandOptions>();
  command->add_option("sweep_file", options->sweep_file, "sweep file (TOML: kind, base, combine, [axes])");
  command->add_flag("--resume", options->resume, "continue the sweep in --out, skipping finished points");
  command->add_flag("--yes", options->yes, "run even when the sweep has more points than --max-points");
  command->add_option("--max-points", options->max_points, "refuse larger sweeps unless --yes")->capture_default_str();
  command->add_option("--shard", options->shard,
                      "run every N-th point, from point I: I/N with 0 <= I < N (default: from a Slurm job array)");
  command->add_option("--threads", options->threads, "parallel points (0 = all cores)")->capture_default_str();
  command->add_flag("--mpi", options->mpi, "distribute the points over MPI ranks (run under mpirun)");
  command->add_flag("--no-plots", options->no_plots, "do not draw the figures");
  add_merge_command(*command);
  add_plot_command(*command);
  command->require_subcommand(0, 1);

  command->callback([command, common, options] {
    if (command->got_subcommand("merge") || command->got_subcommand("plot")) return;
    commands::SweepRequest request;
    request.file = options->sweep_file;
    request.config_file = common->config_file;
    request.assignments = common->assignments;
    request.max_points = options->max_points;
    request.yes = options->yes;
    request.mpi = options->mpi;
    request.plots = !options->no_plots;
    request.before_libtorch = [] { before_libtorch("a sweep of simulated points (kind \"simulate\" or \"compare\")"); };
    request.run.out = common->out;
    request.run.resume = options->resume;
    request.run.threads = options->threads;
    if (!options->shard.empty())
      request.run.shard = sweep::parse_shard(options->shard);
    else if (!options->mpi)
      if (const auto slurm = sweep::shard_from_slurm_environment()) request.run.shard = *slurm;
    const auto summary = commands::run_sweep_command(request, std::cout);
    if (summary && summary->interrupted) throw std::runtime_error("interrupted; rerun with --resume to finish the sweep");
  });
}

const bool registered = register_command(60, add_sweep_command);
}  // namespace

}  // namespace cotdyn::cli
