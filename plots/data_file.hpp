#pragma once
// Plain-text data files read by the figure scripts: '#' comment lines, a header line of
// column names, then whitespace-separated numbers with 17 significant digits (exact
// round-trip of a double). Non-finite values are written as NaN/Inf, which gnuplot skips.
#include <filesystem>
#include <string>
#include <vector>

#include <cotdyn/plots/figure.hpp>

namespace cotdyn::plots {

struct DataTable {
  std::vector<std::string> comments;             // one per '#' line, above the column names
  std::vector<std::string> column_names;         // written as "# name1 name2 ..."
  std::vector<std::vector<double>> columns;      // all of equal length
};

// The text of the file (throws std::invalid_argument if columns differ in length or count).
std::string format_data_table(const DataTable& table);

// Writes the table atomically.
void write_data_file(const std::filesystem::path& path, const DataTable& table);

// The columns a figure script plots for one series:
//   line, points:  x y
//   error_bars:    x y y_low y_high
//   band:          x y_low y_high
//   heatmap:       x y x_low x_high y_low y_high value  (one row per cell)
DataTable series_table(const Series& series, const Panel& panel);

// Edges of heatmap cells around strictly increasing centres: midpoints between neighbours
// (geometric midpoints on a log axis), the outer edges mirrored. Returns centres.size()+1
// values; a single centre gets a cell of width 1 (a factor of 10 on a log axis).
std::vector<double> heatmap_cell_edges(const std::vector<double>& centres, bool log_axis);

}  // namespace cotdyn::plots
