#pragma once
// Declarative description of a figure: a grid of panels, each holding series.
// Nothing here touches the disk; save_figure() writes data + script and renders them.
//
// Text (titles, labels) uses gnuplot's enhanced mode: "m_1" is m with subscript 1, "x^{2}" a
// superscript, "{/Symbol a}" a Greek alpha. Write "\\_" for a literal underscore.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace cotdyn::plots {

enum class SeriesKind {
  line,        // x, y joined by a line
  points,      // x, y as markers
  error_bars,  // x, y as markers with vertical bars from y_low to y_high
  band,        // shaded area between y_low and y_high over x (e.g. a seed spread)
  heatmap,     // values on a grid of x and y cell centres, coloured by the panel's colour box
};

struct Series {
  SeriesKind kind = SeriesKind::line;
  std::string title;  // key (legend) entry; empty leaves the series out of the key

  std::vector<double> x;       // abscissae; heatmap: cell centres along x, strictly increasing
  std::vector<double> y;       // line, points, error_bars; heatmap: cell centres along y
  std::vector<double> y_low;   // error_bars, band: lower end
  std::vector<double> y_high;  // error_bars, band: upper end
  std::vector<double> values;  // heatmap: values[iy * x.size() + ix]; non-finite cells stay blank

  // Style. An empty colour takes the next default colour (see palette.hpp).
  std::string color;          // "#rrggbb"
  int dash_type = 1;          // gnuplot dashtype: 1 solid, 2 dashed, 3 dotted, 4 dash-dot, 5 dash-dot-dot
  double line_width = 2.0;    // multiples of the terminal's base line width
  int point_type = 7;         // gnuplot pointtype: 7 filled circle, 5 filled square, 9 filled triangle
  double point_size = 1.0;
  bool line_markers = false;  // line only: a marker at every point (set by with_points)
  double fill_opacity = 0.25;  // band only

  static Series line(std::string title, std::vector<double> x, std::vector<double> y);
  static Series points(std::string title, std::vector<double> x, std::vector<double> y);
  // Symmetric error bars y +- y_err.
  static Series error_bars(std::string title, std::vector<double> x, std::vector<double> y,
                           const std::vector<double>& y_err);
  // Asymmetric error bars from y_low to y_high (e.g. a bootstrap interval on a log axis).
  static Series error_bars(std::string title, std::vector<double> x, std::vector<double> y,
                           std::vector<double> y_low, std::vector<double> y_high);
  static Series band(std::string title, std::vector<double> x, std::vector<double> y_low,
                     std::vector<double> y_high);
  static Series heatmap(std::string title, std::vector<double> x_centres,
                        std::vector<double> y_centres, std::vector<double> values);

  Series& with_color(std::string c) { color = std::move(c); return *this; }
  Series& with_dash(int d) { dash_type = d; return *this; }
  Series& with_line_width(double w) { line_width = w; return *this; }
  // Marker style; on a line series it also draws a marker at every data point.
  Series& with_points(int type, double size = 1.0) {
    point_type = type;
    point_size = size;
    line_markers = true;
    return *this;
  }
  Series& with_opacity(double a) { fill_opacity = a; return *this; }
};

// Axis range; an absent end is autoscaled.
struct Range {
  std::optional<double> min;
  std::optional<double> max;
};

enum class KeyPosition { top_right, top_left, bottom_right, bottom_left, outside_right, below, hidden };

struct Panel {
  std::string title;
  std::string x_label;
  std::string y_label;
  bool log_x = false;
  bool log_y = false;
  Range x_range;
  Range y_range;
  std::string x_format;  // gnuplot tic format; empty: "% h" (e.g. 0.5, 2x10^{-3})
  std::string y_format;
  std::vector<double> x_tics;  // explicit major tic positions; empty: gnuplot's automatic tics
  std::vector<double> y_tics;
  KeyPosition key = KeyPosition::top_right;

  // Colour box, shown when the panel has a heatmap.
  std::string cb_label;
  bool log_cb = false;
  Range cb_range;

  std::vector<Series> series;  // drawn in this order: put bands and heatmaps first

  Panel& add(Series s) { series.push_back(std::move(s)); return *this; }
};

struct Figure {
  std::string name;   // file stem of every file of the figure: letters, digits, '_', '-', '.'
  std::string title;  // optional title above all panels
  std::vector<Panel> panels;
  std::size_t columns = 1;  // panels fill a grid row by row, this many per row

  // Publication defaults; each ends up as an editable variable in the script.
  double panel_width_in = 6.4;
  double panel_height_in = 4.8;
  double png_dpi = 150;  // PNG pixels per inch: 960x720 per panel by default
  std::string font = "Helvetica";  // fontconfig falls back to the system sans (e.g. DejaVu Sans)
  double font_size = 12;           // points

  Panel& add(Panel p) { panels.push_back(std::move(p)); return panels.back(); }
  std::size_t rows() const { return columns == 0 ? 0 : (panels.size() + columns - 1) / columns; }
};

// Throws std::invalid_argument naming the offending field (e.g. "figure 'loss' panel 2
// series 'theory': y has 3 values but x has 4") when the figure cannot be drawn.
void validate(const Figure& figure);

// A name (a column, a key) shown as written in enhanced text: every "_" escaped as "\\_" (it would
// start a subscript).
std::string literal(const std::string& name);

}  // namespace cotdyn::plots
