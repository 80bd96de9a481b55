#include <cotdyn/plots/data_file.hpp>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <stdexcept>

#include <fmt/format.h>

#include <cotdyn/plots/atomic_write.hpp>

namespace cotdyn::plots {

namespace {

void append_number(fmt::memory_buffer& out, double v) {
  if (std::isnan(v)) {
    fmt::format_to(std::back_inserter(out), "NaN");
  } else if (std::isinf(v)) {
    fmt::format_to(std::back_inserter(out), v > 0 ? "Inf" : "-Inf");
  } else {
    fmt::format_to(std::back_inserter(out), "{:.17g}", v);
  }
}

const char* kind_name(SeriesKind k) {
  switch (k) {
    case SeriesKind::line: return "line";
    case SeriesKind::points: return "points";
    case SeriesKind::error_bars: return "error_bars";
    case SeriesKind::band: return "band";
    case SeriesKind::heatmap: return "heatmap";
  }
  return "?";
}

}  // namespace

std::string format_data_table(const DataTable& table) {
  if (table.columns.size() != table.column_names.size())
    throw std::invalid_argument(fmt::format("data table: {} column names for {} columns",
                                            table.column_names.size(), table.columns.size()));
  const std::size_t rows = table.columns.empty() ? 0 : table.columns.front().size();
  for (std::size_t c = 0; c < table.columns.size(); ++c)
    if (table.columns[c].size() != rows)
      throw std::invalid_argument(fmt::format("data table: column '{}' has {} rows but '{}' has {}",
                                              table.column_names[c], table.columns[c].size(),
                                              table.column_names.front(), rows));
  fmt::memory_buffer out;
  for (auto line : table.comments) {
    std::replace(line.begin(), line.end(), '\n', ' ');  // one comment, one line
    fmt::format_to(std::back_inserter(out), "# {}\n", line);
  }
  fmt::format_to(std::back_inserter(out), "# {}\n", fmt::join(table.column_names, " "));
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      if (c > 0) out.push_back(' ');
      append_number(out, table.columns[c][r]);
    }
    out.push_back('\n');
  }
  return fmt::to_string(out);
}

void write_data_file(const std::filesystem::path& path, const DataTable& table) {
  write_file_atomically(path, format_data_table(table));
}

std::vector<double> heatmap_cell_edges(const std::vector<double>& centres, bool log_axis) {
  const std::size_t n = centres.size();
  std::vector<double> edges(n + 1);
  if (n == 0) return {};
  if (n == 1) {
    edges[0] = log_axis ? centres[0] / std::sqrt(10.0) : centres[0] - 0.5;
    edges[1] = log_axis ? centres[0] * std::sqrt(10.0) : centres[0] + 0.5;
    return edges;
  }
  for (std::size_t i = 1; i < n; ++i)
    edges[i] = log_axis ? std::sqrt(centres[i - 1] * centres[i]) : 0.5 * (centres[i - 1] + centres[i]);
  // Outer edges mirror the neighbouring inner edge about the outer centre.
  edges[0] = log_axis ? centres[0] * centres[0] / edges[1] : 2 * centres[0] - edges[1];
  edges[n] = log_axis ? centres[n - 1] * centres[n - 1] / edges[n - 1] : 2 * centres[n - 1] - edges[n - 1];
  return edges;
}

DataTable series_table(const Series& s, const Panel& p) {
  DataTable t;
  t.comments.push_back(fmt::format("cotdyn figure data: series '{}' ({}) of panel '{}'", s.title,
                                   kind_name(s.kind), p.title));
  t.comments.push_back(fmt::format("x axis: {}; y axis: {}", p.x_label, p.y_label));
  switch (s.kind) {
    case SeriesKind::line:
    case SeriesKind::points:
      t.column_names = {"x", "y"};
      t.columns = {s.x, s.y};
      break;
    case SeriesKind::error_bars:
      t.column_names = {"x", "y", "y_low", "y_high"};
      t.columns = {s.x, s.y, s.y_low, s.y_high};
      break;
    case SeriesKind::band:
      t.column_names = {"x", "y_low", "y_high"};
      t.columns = {s.x, s.y_low, s.y_high};
      break;
    case SeriesKind::heatmap: {
      t.comments.push_back(fmt::format("colour: {}; one row per cell, with its centre and edges", p.cb_label));
      t.column_names = {"x", "y", "x_low", "x_high", "y_low", "y_high", "value"};
      const auto xe = heatmap_cell_edges(s.x, p.log_x);
      const auto ye = heatmap_cell_edges(s.y, p.log_y);
      t.columns.assign(7, {});
      for (std::size_t iy = 0; iy < s.y.size(); ++iy)
        for (std::size_t ix = 0; ix < s.x.size(); ++ix) {
          const double row[7] = {s.x[ix], s.y[iy], xe[ix], xe[ix + 1], ye[iy], ye[iy + 1],
                                 s.values.at(iy * s.x.size() + ix)};
          for (std::size_t c = 0; c < 7; ++c) t.columns[c].push_back(row[c]);
        }
      break;
    }
  }
  return t;
}

}  // namespace cotdyn::plots
