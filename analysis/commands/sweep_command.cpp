#include <cotdyn/analysis/commands/sweep_command.hpp>

#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include <cotdyn/analysis/sweep/sweep_figures.hpp>
#include <cotdyn/analysis/sweep/sweep_mpi.hpp>
#include <cotdyn/analysis/sweep/sweep_plan.hpp>

namespace cotdyn::commands {

void write_sweep_figures(const sweep::PointsTable& table, const std::filesystem::path& directory, std::ostream& log) {
  try {
    const auto names = sweep::default_sweep_figures(table, directory / "figures");
    if (!names.empty()) log << fmt::format("  figures: {} in {}\n", names.size(), (directory / "figures").string());
  } catch (const std::exception& e) {  // the results are on disk; a missing gnuplot must not fail the sweep
    std::cerr << "cotdyn sweep: figures not drawn: " << e.what() << '\n';
  }
}

std::optional<sweep::SweepSummary> run_sweep_command(const SweepRequest& request, std::ostream& log) {
  if (request.file.empty() == request.text.empty())
    throw std::invalid_argument("cotdyn sweep: give a sweep file, e.g. cotdyn sweep sweep.toml (see docs/sweeps.md)");
  if (request.run.threads < 0)
    throw std::invalid_argument(fmt::format("--threads {}: must be >= 0 (0 = all cores)", request.run.threads));
  sweep::SweepPlan plan =
      request.file.empty()
          ? sweep::parse_sweep(request.text, std::filesystem::current_path().string(), "(text)", request.config_file,
                               request.assignments)
          : sweep::read_sweep_file(request.file, request.config_file, request.assignments);
  if (plan.kind != sweep::SweepKind::theory && request.before_libtorch) request.before_libtorch();
  const std::size_t count = plan.point_count();
  log << fmt::format("cotdyn sweep: {} points ({} axes, {})\n", count, plan.axes.size(), sweep::to_string(plan.combine))
      << std::flush;
  if (count > request.max_points && !request.yes)
    throw std::invalid_argument(fmt::format(
        "the sweep has {} points, more than --max-points {}: pass --yes to run it, or raise --max-points", count,
        request.max_points));
  const sweep::PreparedSweep prepared = sweep::prepare_sweep(std::move(plan), request.run.threads);
  std::optional<sweep::SweepSummary> summary =
      request.mpi ? sweep::run_sweep_mpi(prepared, request.run, log) : sweep::run_sweep(prepared, request.run, log);
  if (!summary) return summary;  // an MPI rank other than 0
  if (request.plots && !summary->interrupted)
    write_sweep_figures(sweep::read_points_table(summary->directory), summary->directory, log);
  return summary;
}

}  // namespace cotdyn::commands
