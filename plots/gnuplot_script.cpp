#include <cotdyn/plots/gnuplot_script.hpp>

#include <iterator>
#include <stdexcept>

#include <fmt/format.h>

#include <cotdyn/plots/palette.hpp>

namespace cotdyn::plots {

std::string gnuplot_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      case '\r': break;
      default: out += c;
    }
  }
  return out + "\"";
}

namespace {

using Out = std::back_insert_iterator<fmt::memory_buffer>;

// Shortest text that reads back as the same double (6.4, not 6.4000000000000004).
std::string number(double v) { return fmt::format("{}", v); }

std::string range_text(const Range& r) {
  return fmt::format("[{}:{}]", r.min ? number(*r.min) : "*", r.max ? number(*r.max) : "*");
}

const char* key_settings(KeyPosition k) {
  switch (k) {
    case KeyPosition::top_right: return "set key inside top right";
    case KeyPosition::top_left: return "set key inside top left";
    case KeyPosition::bottom_right: return "set key inside bottom right";
    case KeyPosition::bottom_left: return "set key inside bottom left";
    case KeyPosition::outside_right: return "set key outside right top vertical";
    // gnuplot 5.4 puts a key below the axes with its box over the x label: no box, and a blank
    // title line that keeps the entries clear of the label.
    case KeyPosition::below: return "set key below center horizontal nobox noopaque title \" \"";
    case KeyPosition::hidden: return "unset key";
  }
  return "unset key";
}

bool has_kind(const Panel& p, SeriesKind kind) {
  for (const auto& s : p.series)
    if (s.kind == kind) return true;
  return false;
}

// An empty key still draws its (opaque, boxed) frame, so hide it when nothing has a title.
bool has_key_entries(const Panel& p) {
  for (const auto& s : p.series)
    if (!s.title.empty() && s.kind != SeriesKind::heatmap) return true;
  return false;
}

void write_axis(Out out, const char* axis, bool log, const Range& range, const std::string& format,
                const std::vector<double>& tics, bool tight) {
  if (log)
    fmt::format_to(out, "set logscale {} 10\n", axis);
  else
    fmt::format_to(out, "unset logscale {}\n", axis);
  // Heatmap cells end exactly at the border; curves get ranges extended to the next tic. The
  // range comes after the autoscale mode: `set autoscale` would release the ends the panel fixes.
  fmt::format_to(out, "set autoscale {}{}\n", axis, tight ? "fix" : "");
  fmt::format_to(out, "set {}range {}\n", axis, range_text(range));
  fmt::format_to(out, "set format {} {}\n", axis, gnuplot_string(format.empty() ? "% h" : format));
  if (tics.empty()) {
    fmt::format_to(out, "set {}tics autofreq\n", axis);
    fmt::format_to(out, "set m{}tics default\n", axis);
  } else {
    // Explicit positions (e.g. the d values of a finite-size study, which may hold no power of 10).
    std::string list;
    for (double t : tics) list += (list.empty() ? "" : ", ") + number(t);
    fmt::format_to(out, "set {}tics ({})\n", axis, list);
    fmt::format_to(out, "unset m{}tics\n", axis);
  }
}

// The `plot` clause of one series; `default_color` counts series that take palette colours.
std::string plot_clause(const Series& s, const std::string& file, std::size_t& default_color) {
  std::string color;
  if (s.kind != SeriesKind::heatmap) {
    if (!s.color.empty())
      color = fmt::format("lc rgb {}", gnuplot_string(s.color));
    else
      color = fmt::format("lt {}", default_color++ % series_palette().size() + 1);
  }
  const std::string title = s.title.empty() || s.kind == SeriesKind::heatmap
                                ? std::string("notitle")
                                : "title " + gnuplot_string(s.title);
  const std::string f = gnuplot_string(file);
  switch (s.kind) {
    case SeriesKind::line:
      if (s.line_markers)
        return fmt::format("{} using 1:2 with linespoints {} dt {} lw {} pt {} ps {} {}", f, color, s.dash_type,
                           number(s.line_width), s.point_type, number(s.point_size), title);
      return fmt::format("{} using 1:2 with lines {} dt {} lw {} {}", f, color, s.dash_type,
                         number(s.line_width), title);
    case SeriesKind::points:
      return fmt::format("{} using 1:2 with points {} pt {} ps {} {}", f, color, s.point_type,
                         number(s.point_size), title);
    case SeriesKind::error_bars:
      return fmt::format("{} using 1:2:3:4 with yerrorbars {} pt {} ps {} lw {} {}", f, color,
                         s.point_type, number(s.point_size), number(s.line_width * 0.75), title);
    case SeriesKind::band:
      return fmt::format("{} using 1:2:3 with filledcurves {} fs transparent solid {} noborder {}", f,
                         color, number(s.fill_opacity), title);
    case SeriesKind::heatmap:
      // One filled box per cell (edges in columns 3-6) coloured by column 7: exact cells on
      // log axes too, and NaN cells stay blank.
      return fmt::format("{} using 1:2:3:4:5:6:7 with boxxyerror fs solid 1.0 noborder lc palette z {}",
                         f, title);
  }
  throw std::logic_error("unknown series kind");
}

void write_panel(Out out, const Panel& p, std::size_t index, std::size_t count,
                 const std::vector<std::string>& files) {
  const bool heat = has_kind(p, SeriesKind::heatmap);
  // Markers at the ends of an autoscaled x axis would sit on the border: pad x by 3%.
  const bool pad_x = has_kind(p, SeriesKind::points) || has_kind(p, SeriesKind::error_bars);
  fmt::format_to(out, "\n# ---- Panel {} of {}: {} ----\n", index + 1, count, p.title);
  fmt::format_to(out, "set title {}\n", gnuplot_string(p.title));
  fmt::format_to(out, "set xlabel {}\n", gnuplot_string(p.x_label));
  fmt::format_to(out, "set ylabel {}\n", gnuplot_string(p.y_label));
  // Tight x for heatmaps (cells end at the border) and markers (padded by the offsets below).
  write_axis(out, "x", p.log_x, p.x_range, p.x_format, p.x_tics, heat || pad_x);
  write_axis(out, "y", p.log_y, p.y_range, p.y_format, p.y_tics, heat);
  fmt::format_to(out, "set offsets {}\n", pad_x ? "graph 0.03, graph 0.03, 0, 0" : "0, 0, 0, 0");
  fmt::format_to(out, "{}\n", has_key_entries(p) ? key_settings(p.key) : "unset key");
  if (heat) {
    fmt::format_to(out, "unset grid\n");
    fmt::format_to(out, "set colorbox\n");
    fmt::format_to(out, "set cblabel {}\n", gnuplot_string(p.cb_label));
    fmt::format_to(out, p.log_cb ? "set logscale cb 10\n" : "unset logscale cb\n");
    fmt::format_to(out, "set cbrange {}\n", range_text(p.cb_range));
    // Room for the colour box, its tics and label inside this panel's cell of the grid.
    fmt::format_to(out, "set rmargin 14\n");
  } else {
    fmt::format_to(out, "set grid back lc rgb \"#d9d9d9\" lw 0.5 dt 1\n");
    fmt::format_to(out, "unset colorbox\n");
    fmt::format_to(out, "set cblabel \"\"\n");  // else the previous panel's label is drawn again
    fmt::format_to(out, "set rmargin -1\n");    // automatic
  }
  std::size_t default_color = 0;
  fmt::format_to(out, "plot \\\n");
  for (std::size_t s = 0; s < p.series.size(); ++s)
    fmt::format_to(out, "  {}{}\n", plot_clause(p.series[s], files.at(s), default_color),
                   s + 1 < p.series.size() ? ", \\" : "");
}

}  // namespace

std::string gnuplot_script(const Figure& f, const std::vector<std::vector<std::string>>& data_files) {
  if (data_files.size() != f.panels.size())
    throw std::invalid_argument("gnuplot_script: need one list of data files per panel");
  fmt::memory_buffer buf;
  auto out = std::back_inserter(buf);
  fmt::format_to(out,
                 "# cotdyn figure '{0}'. Generated by cotdyn; edit freely to restyle.\n"
                 "# The data files sit next to this script and are read by relative path, so run\n"
                 "# gnuplot in this directory, once per output (a multiplot cannot be replotted):\n"
                 "#   gnuplot -e \"term='png'\" {0}.gp    writes {0}.png\n"
                 "#   gnuplot -e \"term='pdf'\" {0}.gp    writes {0}.pdf\n"
                 "# `cotdyn plot DIR` re-renders every script under DIR to both.\n\n",
                 f.name);
  fmt::format_to(out, "if (!exists(\"term\")) term = \"png\"\n");
  fmt::format_to(out, "if (!exists(\"outfile\")) outfile = {} . \".\" . term\n\n", gnuplot_string(f.name));

  fmt::format_to(out, "# ---- Page: size of one panel, fonts; lines and fonts scale with png_dpi ----\n");
  fmt::format_to(out, "panel_width_in = {}\npanel_height_in = {}\npng_dpi = {}\n", number(f.panel_width_in),
                 number(f.panel_height_in), number(f.png_dpi));
  fmt::format_to(out, "font_name = {}\nfont_size = {}\n", gnuplot_string(f.font), number(f.font_size));
  fmt::format_to(out, "rows = {}\ncolumns = {}\n\n", f.rows(), f.columns);
  fmt::format_to(out,
                 "page_width_in = columns * panel_width_in\n"
                 "page_height_in = rows * panel_height_in\n"
                 "font_spec = sprintf(\"%s,%g\", font_name, font_size)\n"
                 "if (term eq \"pdf\") {{\n"
                 "  set terminal pdfcairo enhanced color font font_spec size page_width_in, page_height_in linewidth 1.5 rounded\n"
                 "}} else {{ if (term eq \"png\") {{\n"
                 "  # pngcairo lays out text for 96 pixels per inch: scale text and lines to png_dpi\n"
                 "  # (then a PNG at png_dpi matches the PDF: same point sizes, same line widths).\n"
                 "  set terminal pngcairo enhanced color font font_spec size page_width_in * png_dpi, page_height_in * png_dpi fontscale png_dpi / 96.0 linewidth png_dpi / 96.0 rounded\n"
                 "}} else {{\n"
                 "  print sprintf(\"term='%s' is not supported: use 'png' or 'pdf'\", term)\n"
                 "  exit status 2\n"
                 "}} }}\n"
                 "set output outfile\n\n");

  fmt::format_to(out, "# ---- Series colours (Okabe-Ito, colour-blind-safe), used in this order ----\n");
  const auto& palette = series_palette();
  for (std::size_t i = 0; i < palette.size(); ++i)
    fmt::format_to(out, "set linetype {} lc rgb {}\n", i + 1, gnuplot_string(palette[i]));
  fmt::format_to(out, "set linetype cycle {}\n", palette.size());
  fmt::format_to(out, "# Heatmap colours (viridis)\nset palette defined (");
  const auto& stops = heatmap_palette();
  for (std::size_t i = 0; i < stops.size(); ++i)
    fmt::format_to(out, "{}{} {}", i ? ", " : "", number(stops[i].first), gnuplot_string(stops[i].second));
  fmt::format_to(out, ")\n\n");

  fmt::format_to(out,
                 "# ---- Look shared by all panels ----\n"
                 "set minussign\n"
                 "set border lw 1\n"
                 "set tics out nomirror scale 0.75\n"
                 "set key opaque box lc rgb \"#bfbfbf\" samplen 2.5 spacing 1.15\n");
  if (f.title.empty())
    fmt::format_to(out, "set multiplot layout rows, columns\n");
  else
    fmt::format_to(out, "set multiplot layout rows, columns title {} font \",{}\"\n", gnuplot_string(f.title),
                   fmt::format("{:g}", f.font_size * 1.2));

  for (std::size_t p = 0; p < f.panels.size(); ++p) {
    if (data_files[p].size() != f.panels[p].series.size())
      throw std::invalid_argument(fmt::format("gnuplot_script: panel {} needs one data file per series", p + 1));
    write_panel(out, f.panels[p], p, f.panels.size(), data_files[p]);
  }
  fmt::format_to(out, "\nunset multiplot\nset output\n");
  return fmt::to_string(buf);
}

}  // namespace cotdyn::plots
