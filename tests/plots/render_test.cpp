#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include <cotdyn/plots/render.hpp>
#include <cotdyn/plots/plots.hpp>
#include <cotdyn/tests/plots/temp_dir.hpp>

using namespace cotdyn::plots;
namespace fs = std::filesystem;

namespace {

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

unsigned be32(const std::string& s, std::size_t at) {
  unsigned v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}

// PNG signature + IHDR width/height; PDF header; sizes beyond an empty page.
void check_rendered(const FigureFiles& files, unsigned png_width, unsigned png_height) {
  REQUIRE(files.images.size() == 2);
  const fs::path png = files.images[0], pdf = files.images[1];
  CHECK(png.extension() == ".png");
  CHECK(pdf.extension() == ".pdf");
  const std::string png_bytes = read_all(png);
  REQUIRE(png_bytes.size() > 24);
  CHECK(png_bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
  CHECK(png_bytes.size() > 5000);
  CHECK(be32(png_bytes, 16) == png_width);
  CHECK(be32(png_bytes, 20) == png_height);
  const std::string pdf_bytes = read_all(pdf);
  CHECK(pdf_bytes.compare(0, 5, "%PDF-") == 0);
  CHECK(pdf_bytes.size() > 3000);
  CHECK(lower(files.gnuplot_messages).find("error") == std::string::npos);
  CHECK(fs::file_size(files.script) > 500);
  for (const auto& d : files.data) CHECK(fs::file_size(d) > 10);
}

bool has_temporary_files(const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().find(".tmp.") != std::string::npos) return true;
  return false;
}

std::vector<double> grid(double from, double to, int n, bool log = false) {
  std::vector<double> v(n);
  for (int i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / (n - 1);
    v[i] = log ? from * std::pow(to / from, t) : from + (to - from) * t;
  }
  return v;
}

Figure single(const std::string& name, Series s, bool log_x = false, bool log_y = false) {
  Figure f;
  f.name = name;
  Panel& p = f.add(Panel{});
  p.title = name;
  p.x_label = "step t";
  p.y_label = "value";
  p.log_x = log_x;
  p.log_y = log_y;
  p.cb_label = "colour value";
  p.add(std::move(s));
  return f;
}

// A two-by-two figure with every series kind: what the project's figures look like.
Figure publication_figure() {
  Figure f;
  f.name = "overview";
  f.title = "cotdyn plots: every series kind";
  f.columns = 2;
  const auto t = grid(0, 10, 101);
  std::vector<double> theory, low, high, sim_t, sim;
  for (double x : t) {
    theory.push_back(1 - std::exp(-x / 3));
    low.push_back(1 - std::exp(-x / 2.5) - 0.05);
    high.push_back(1 - std::exp(-x / 3.5) + 0.05);
  }
  for (int i = 0; i <= 10; ++i) {
    sim_t.push_back(i);
    sim.push_back(1 - std::exp(-i / 3.0) + 0.03 * std::sin(3.0 * i));
  }
  Panel& a = f.add(Panel{});
  a.title = "Theory vs simulation";
  a.x_label = "training step t";
  a.y_label = "attention weight m_1(t)";
  a.key = KeyPosition::bottom_right;
  a.add(Series::band("seed spread", t, low, high).with_color(palette_color(0)));
  a.add(Series::line("mean-field theory", t, theory).with_color(palette_color(0)).with_dash(2));
  a.add(Series::points("simulation", sim_t, sim).with_color(palette_color(1)));

  const auto n = grid(10, 1e4, 7, true);
  std::vector<double> mean, err, law;
  for (std::size_t i = 0; i < n.size(); ++i) {
    law.push_back(2 / std::sqrt(n[i]));
    mean.push_back(law.back() * (1 + 0.1 * std::cos(static_cast<double>(i))));
    err.push_back(0.2 * mean.back());
  }
  Panel& b = f.add(Panel{});
  b.title = "Interaction error (log-log)";
  b.x_label = "samples n";
  b.y_label = "|error|";
  b.log_x = b.log_y = true;
  b.add(Series::error_bars("measured", n, mean, err));
  b.add(Series::line("n^{-1/2} law", n, law).with_dash(3));

  Panel& c = f.add(Panel{});
  c.title = "Sweep: final loss";
  c.x_label = "learning rate {/Symbol h}";
  c.y_label = "chain length L";
  c.log_x = true;
  c.log_cb = true;
  c.cb_label = "loss";
  const auto lr = grid(1e-3, 1, 10, true);
  const auto len = grid(2, 12, 6);
  std::vector<double> values;
  for (double l : len)
    for (double r : lr) values.push_back(std::exp(-30 * r / l) + 1e-3);
  c.add(Series::heatmap("final loss", lr, len, values));

  Panel& d = f.add(Panel{});
  d.title = "Several runs";
  d.x_label = "step t";
  d.y_label = "loss";
  d.log_y = true;
  d.key = KeyPosition::outside_right;
  for (int k = 0; k < 5; ++k) {
    std::vector<double> y;
    for (double x : t) y.push_back(std::exp(-x * (k + 1) / 5.0) + 1e-3);
    d.add(Series::line("seed " + std::to_string(k), t, y));
  }
  return f;
}

}  // namespace

TEST_CASE("a line figure renders to PNG and PDF next to its data and script") {
  test::TempDir dir("line");
  const auto x = grid(0, 6.28, 50);
  std::vector<double> y;
  for (double v : x) y.push_back(std::sin(v));
  const auto files = save_figure(single("line", Series::line("sin", x, y)), dir.path());
  CHECK(files.script == dir.path() / "line.gp");
  REQUIRE(files.data.size() == 1);
  CHECK(files.data[0] == dir.path() / "line_p1_s1.dat");
  check_rendered(files, 960, 720);
  CHECK(!has_temporary_files(dir.path()));
}

TEST_CASE("a points figure renders") {
  test::TempDir dir("points");
  const auto files = save_figure(single("points", Series::points("data", {1, 2, 3, 4}, {2, 1, 4, 3})), dir.path());
  check_rendered(files, 960, 720);
}

TEST_CASE("an error-bar figure on log-log axes renders") {
  test::TempDir dir("errorbars");
  const auto files = save_figure(
      single("errorbars", Series::error_bars("measured", {10, 100, 1000}, {1, 0.3, 0.1}, {0.1, 0.05, 0.02}), true,
             true),
      dir.path());
  check_rendered(files, 960, 720);
}

TEST_CASE("a band figure renders") {
  test::TempDir dir("band");
  const auto files =
      save_figure(single("band", Series::band("spread", {0, 1, 2, 3}, {0, 0.5, 1, 1.2}, {1, 1.5, 2.5, 3})), dir.path());
  check_rendered(files, 960, 720);
}

TEST_CASE("a heatmap with a log axis and a blank (NaN) cell renders") {
  test::TempDir dir("heatmap");
  const auto files = save_figure(
      single("heatmap", Series::heatmap("h", {0.01, 0.1, 1}, {1, 2}, {1, 2, 3, std::nan(""), 5, 6}), true, false),
      dir.path());
  check_rendered(files, 960, 720);
}

TEST_CASE("a multi-panel figure renders at the panel grid's size in pixels and inches") {
  test::TempDir dir("overview");
  const auto files = save_figure(publication_figure(), dir.path());
  check_rendered(files, 1920, 1440);
  CHECK(files.data.size() == 11);
  // pdfcairo page: 2 x 6.4 in by 2 x 4.8 in = 921.6 x 691.2 pt, which cairo rounds down.
  CHECK(read_all(files.images[1]).find("/MediaBox [ 0 0 921 691 ]") != std::string::npos);
}

TEST_CASE("a moved figure directory re-renders: scripts read data by relative path") {
  test::TempDir first("move-from");
  test::TempDir second("move-to");
  save_figure(publication_figure(), first.path() / "figs");
  const fs::path moved = second.path() / "elsewhere";
  fs::rename(first.path() / "figs", moved);
  fs::remove(moved / "overview.png");
  fs::remove(moved / "overview.pdf");
  const auto scripts = render_directory(second.path());
  REQUIRE(scripts.size() == 1);
  CHECK(scripts[0] == moved / "overview.gp");
  CHECK(fs::file_size(moved / "overview.png") > 5000);
  CHECK(read_all(moved / "overview.pdf").compare(0, 5, "%PDF-") == 0);
}

TEST_CASE("render_figure picks up edits to the script") {
  test::TempDir dir("edit");
  const auto files = save_figure(single("edit", Series::line("l", {1, 2}, {1, 2})), dir.path());
  std::string script = read_all(files.script);
  const auto at = script.find("panel_width_in = 6.4");
  REQUIRE(at != std::string::npos);
  script.replace(at, 20, "panel_width_in = 3.2");
  std::ofstream(files.script) << script;
  render_figure(files.script);
  CHECK(be32(read_all(dir.path() / "edit.png"), 16) == 480);
}

TEST_CASE("a broken script gives an error naming the script and quoting gnuplot") {
  test::TempDir dir("broken");
  const fs::path script = dir.path() / "broken.gp";
  std::ofstream(script) << "set output outfile\nset terminal pngcairo\nplot sin(x) with nonsense_style\n";
  std::string message;
  try {
    render_figure(script);
  } catch (const std::runtime_error& e) {
    message = e.what();
  }
  CHECK(message.find("broken.gp") != std::string::npos);
  CHECK(message.find("nonsense_style") != std::string::npos);  // gnuplot's own words
  CHECK(!fs::exists(dir.path() / "broken.png"));
  CHECK(!has_temporary_files(dir.path()));
}

TEST_CASE("a missing data file is reported with gnuplot's message") {
  test::TempDir dir("missingdata");
  const auto files = write_figure(single("missing", Series::line("l", {1, 2}, {1, 2})), dir.path());
  fs::remove(files.data[0]);
  std::string message;
  try {
    render_figure(files.script);
  } catch (const std::runtime_error& e) {
    message = e.what();
  }
  CHECK(message.find("missing.gp") != std::string::npos);
  CHECK(message.find("missing_p1_s1.dat") != std::string::npos);
}

TEST_CASE("a missing gnuplot executable gives a clear error") {
  test::TempDir dir("nognuplot");
  const auto files = write_figure(single("nognuplot", Series::line("l", {1, 2}, {1, 2})), dir.path());
  RenderOptions options;
  options.gnuplot = "cotdyn-test-no-such-gnuplot";
  std::string message;
  try {
    render_figure(files.script, options);
  } catch (const std::runtime_error& e) {
    message = e.what();
  }
  CHECK(message.find("nognuplot.gp") != std::string::npos);
  CHECK(message.find("cotdyn-test-no-such-gnuplot") != std::string::npos);
}

TEST_CASE("render_directory refuses a directory without scripts") {
  test::TempDir dir("noscripts");
  CHECK_THROWS_AS(render_directory(dir.path()), std::invalid_argument);
  CHECK_THROWS_AS(render_directory(dir.path() / "absent"), std::invalid_argument);
}
