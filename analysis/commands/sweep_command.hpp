#pragma once
// `cotdyn sweep` as a library function (docs/sweeps.md): the sweep file (or its TOML text) with the
// base config and assignments, every point checked, then the points run in parallel into the output
// directory (points.csv, the chunk files of docs/sweeps.md, manifest.json) and, unless turned off, the default figures.
#include <cstddef>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <cotdyn/analysis/sweep/run_sweep.hpp>
#include <cotdyn/analysis/sweep/sweep_directory.hpp>

namespace cotdyn::commands {

struct SweepRequest {
  std::string file;                      // the sweep file, or
  std::string text;                      // its TOML text (relative base paths: against the working directory)
  std::string config_file;               // --config: replaces the sweep's base
  std::vector<std::string> assignments;  // --set, on top
  std::size_t max_points = 5000;         // refuse larger sweeps unless `yes`
  bool yes = false;
  bool mpi = false;                      // distribute the points over MPI ranks
  bool plots = true;                     // draw the default figures
  sweep::SweepOptions run;
  // Called once the sweep is known to train (kind "simulate" or "compare"), before anything is printed
  // or written: there the CLI continues in the program with LibTorch (cli/libtorch.hpp).
  std::function<void()> before_libtorch;
};

// The summary; empty on an MPI rank other than 0. An interrupted sweep keeps its finished points
// (summary->interrupted; --resume continues it).
std::optional<sweep::SweepSummary> run_sweep_command(const SweepRequest& request, std::ostream& log);

// The default figures of a sweep directory; a failure (no gnuplot) is reported on `log`, not thrown:
// the results are on disk.
void write_sweep_figures(const sweep::PointsTable& table, const std::filesystem::path& directory, std::ostream& log);

}  // namespace cotdyn::commands
