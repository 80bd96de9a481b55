#include <cotdyn/plots/figure.hpp>

#include <cctype>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace cotdyn::plots {

Series Series::line(std::string title, std::vector<double> x, std::vector<double> y) {
  Series s;
  s.kind = SeriesKind::line;
  s.title = std::move(title);
  s.x = std::move(x);
  s.y = std::move(y);
  return s;
}

Series Series::points(std::string title, std::vector<double> x, std::vector<double> y) {
  Series s = line(std::move(title), std::move(x), std::move(y));
  s.kind = SeriesKind::points;
  return s;
}

Series Series::error_bars(std::string title, std::vector<double> x, std::vector<double> y,
                          const std::vector<double>& y_err) {
  std::vector<double> low(y.size()), high(y.size());
  for (std::size_t i = 0; i < y.size() && i < y_err.size(); ++i) {
    low[i] = y[i] - y_err[i];
    high[i] = y[i] + y_err[i];
  }
  if (y_err.size() != y.size()) {  // keep the mismatch visible to validate()
    low.resize(y_err.size());
    high.resize(y_err.size());
  }
  return error_bars(std::move(title), std::move(x), std::move(y), std::move(low), std::move(high));
}

Series Series::error_bars(std::string title, std::vector<double> x, std::vector<double> y,
                          std::vector<double> y_low, std::vector<double> y_high) {
  Series s = line(std::move(title), std::move(x), std::move(y));
  s.kind = SeriesKind::error_bars;
  s.y_low = std::move(y_low);
  s.y_high = std::move(y_high);
  return s;
}

Series Series::band(std::string title, std::vector<double> x, std::vector<double> y_low,
                    std::vector<double> y_high) {
  Series s;
  s.kind = SeriesKind::band;
  s.title = std::move(title);
  s.x = std::move(x);
  s.y_low = std::move(y_low);
  s.y_high = std::move(y_high);
  return s;
}

Series Series::heatmap(std::string title, std::vector<double> x_centres,
                       std::vector<double> y_centres, std::vector<double> values) {
  Series s;
  s.kind = SeriesKind::heatmap;
  s.title = std::move(title);
  s.x = std::move(x_centres);
  s.y = std::move(y_centres);
  s.values = std::move(values);
  return s;
}

namespace {

bool is_hex_color(const std::string& c) {
  if (c.size() != 7 && c.size() != 9) return false;
  if (c[0] != '#') return false;
  for (std::size_t i = 1; i < c.size(); ++i)
    if (!std::isxdigit(static_cast<unsigned char>(c[i]))) return false;
  return true;
}

void check_range(const std::string& where, const char* axis, const Range& r, bool log) {
  for (const auto& end : {r.min, r.max}) {
    if (!end) continue;
    if (!std::isfinite(*end))
      throw std::invalid_argument(fmt::format("{}: {}_range end {} is not finite", where, axis, *end));
    if (log && *end <= 0)
      throw std::invalid_argument(fmt::format(
          "{}: {}_range end {} is not allowed on a log axis (must be > 0)", where, axis, *end));
  }
  if (r.min && r.max && !(*r.min < *r.max))
    throw std::invalid_argument(
        fmt::format("{}: {}_range [{}, {}] is empty (min must be < max)", where, axis, *r.min, *r.max));
}

void check_tics(const std::string& where, const char* axis, const std::vector<double>& tics, bool log) {
  for (std::size_t i = 0; i < tics.size(); ++i)
    if (!std::isfinite(tics[i]) || (log && tics[i] <= 0))
      throw std::invalid_argument(fmt::format("{}: {}_tics[{}] = {} is not allowed (must be finite{})", where, axis,
                                              i, tics[i], log ? " and > 0 on a log axis" : ""));
}

void check_length(const std::string& where, const char* name, const std::vector<double>& v,
                  std::size_t expected, const char* reference) {
  if (v.size() != expected)
    throw std::invalid_argument(fmt::format("{}: {} has {} values but {} has {}", where, name,
                                            v.size(), reference, expected));
}

void check_centres(const std::string& where, const char* name, const std::vector<double>& c, bool log) {
  if (c.empty()) throw std::invalid_argument(fmt::format("{}: {} (heatmap cell centres) is empty", where, name));
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (!std::isfinite(c[i]) || (log && c[i] <= 0))
      throw std::invalid_argument(fmt::format("{}: {}[{}] = {} is not allowed (must be finite{})", where,
                                              name, i, c[i], log ? " and > 0 on a log axis" : ""));
    if (i > 0 && !(c[i] > c[i - 1]))
      throw std::invalid_argument(fmt::format("{}: {} must be strictly increasing ({}[{}] = {} after {})",
                                              where, name, name, i, c[i], c[i - 1]));
  }
}

void validate_series(const std::string& where, const Series& s, const Panel& p) {
  if (!s.color.empty() && !is_hex_color(s.color))
    throw std::invalid_argument(
        fmt::format("{}: color '{}' is not allowed (use \"#rrggbb\" or leave empty)", where, s.color));
  if (!(s.line_width > 0) || !(s.point_size > 0))
    throw std::invalid_argument(fmt::format("{}: line_width {} and point_size {} must be > 0", where,
                                            s.line_width, s.point_size));
  if (s.dash_type < 1)
    throw std::invalid_argument(fmt::format("{}: dash_type {} must be >= 1", where, s.dash_type));
  if (!(s.fill_opacity >= 0 && s.fill_opacity <= 1))
    throw std::invalid_argument(fmt::format("{}: fill_opacity {} must be in [0, 1]", where, s.fill_opacity));
  switch (s.kind) {
    case SeriesKind::line:
    case SeriesKind::points:
      check_length(where, "y", s.y, s.x.size(), "x");
      break;
    case SeriesKind::error_bars:
      check_length(where, "y", s.y, s.x.size(), "x");
      check_length(where, "y_low", s.y_low, s.x.size(), "x");
      check_length(where, "y_high", s.y_high, s.x.size(), "x");
      break;
    case SeriesKind::band:
      check_length(where, "y_low", s.y_low, s.x.size(), "x");
      check_length(where, "y_high", s.y_high, s.x.size(), "x");
      break;
    case SeriesKind::heatmap:
      check_centres(where, "x", s.x, p.log_x);
      check_centres(where, "y", s.y, p.log_y);
      check_length(where, "values", s.values, s.x.size() * s.y.size(), "x.size() * y.size()");
      return;
  }
  if (s.x.empty()) throw std::invalid_argument(fmt::format("{}: has no points (x is empty)", where));
}

}  // namespace

void validate(const Figure& f) {
  const std::string fig = fmt::format("figure '{}'", f.name);
  if (f.name.empty() || f.name == "." || f.name == "..")
    throw std::invalid_argument("figure.name '" + f.name + "' is not allowed: it is the file stem, give a name");
  for (char c : f.name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.'))
      throw std::invalid_argument(fmt::format(
          "figure.name '{}' is not allowed: use letters, digits, '_', '-', '.' only", f.name));
  if (f.panels.empty()) throw std::invalid_argument(fig + ": has no panels");
  if (f.columns < 1) throw std::invalid_argument(fig + ": columns must be >= 1");
  if (!(f.panel_width_in > 0) || !(f.panel_height_in > 0) || !(f.png_dpi > 0) || !(f.font_size > 0))
    throw std::invalid_argument(fmt::format(
        "{}: panel_width_in {}, panel_height_in {}, png_dpi {} and font_size {} must all be > 0", fig,
        f.panel_width_in, f.panel_height_in, f.png_dpi, f.font_size));
  if (f.font.find('"') != std::string::npos || f.font.find(',') != std::string::npos)
    throw std::invalid_argument(fmt::format("{}: font '{}' must not contain '\"' or ','", fig, f.font));
  for (std::size_t i = 0; i < f.panels.size(); ++i) {
    const Panel& p = f.panels[i];
    const std::string panel = fmt::format("{} panel {}", fig, i + 1);
    if (p.series.empty()) throw std::invalid_argument(panel + ": has no series");
    check_range(panel, "x", p.x_range, p.log_x);
    check_range(panel, "y", p.y_range, p.log_y);
    check_range(panel, "cb", p.cb_range, p.log_cb);
    check_tics(panel, "x", p.x_tics, p.log_x);
    check_tics(panel, "y", p.y_tics, p.log_y);
    for (std::size_t j = 0; j < p.series.size(); ++j)
      validate_series(fmt::format("{} series {} '{}'", panel, j + 1, p.series[j].title), p.series[j], p);
  }
}

std::string literal(const std::string& name) {
  std::string out;
  for (char c : name) out += c == '_' ? std::string("\\_") : std::string(1, c);
  return out;
}

}  // namespace cotdyn::plots
