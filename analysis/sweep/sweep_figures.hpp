#pragma once
// Phase diagrams and scaling laws from a sweep's points (same conventions as every cotdyn figure:
// data + gnuplot script + PNG + PDF, through plots/save_figure):
//   - heatmaps of milestones over two axes (other axes held at their first value);
//   - milestones against one axis (other axes at their first value), with the closed-form plateau
//     estimate of docs/theory.md §6 overlaid on the ODE's t_1/2 (compare sweeps: ODE dashed, simulation
//     solid, on the same panels);
//   - compare sweeps: the discrepancy RMS per quantity against each axis.
#include <filesystem>
#include <string>
#include <vector>

#include <cotdyn/analysis/sweep/sweep_directory.hpp>

namespace cotdyn::sweep {

struct FigureOptions {
  bool render = true;  // false: data and scripts only (no gnuplot run)
};

// Milestones of one axis as lines: "milestones_vs_<key>". Returns the files' stem.
std::string milestone_lines_figure(const PointsTable& table, const std::string& axis_key,
                                   const std::filesystem::path& directory, const FigureOptions& options = {});

// Compare sweeps: the discrepancy milestones (rms_<quantity>, log scale; t_half_diff) against one axis,
// other axes at their first value: "discrepancy_vs_<key>" (model.d on a log axis: finite-size scaling).
// Throws std::invalid_argument when the sweep is not a compare sweep or nothing finite is left.
std::string discrepancy_figure(const PointsTable& table, const std::string& axis_key,
                               const std::filesystem::path& directory, const FigureOptions& options = {});

// Heatmaps of the named milestones over two axes: "heatmap_<x>_<y>". The grid must be a product of
// the two axes' values. Throws std::invalid_argument naming the key when it is not.
std::string heatmap_figure(const PointsTable& table, const std::string& x_key, const std::string& y_key,
                           const std::vector<std::string>& milestones, const std::filesystem::path& directory,
                           const FigureOptions& options = {});

// The default set: one line figure per numeric axis (and, for compare sweeps, one discrepancy figure
// per numeric axis) and, with two or more axes, heatmaps over the first two (compare: t_half_diff,
// rms_alpha, rms_Q_c, rms_step_acc). Returns the figure stems written.
std::vector<std::string> default_sweep_figures(const PointsTable& table, const std::filesystem::path& directory,
                                               const FigureOptions& options = {});

}  // namespace cotdyn::sweep
