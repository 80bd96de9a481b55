#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include <cotdyn/plots/gnuplot_script.hpp>

using namespace cotdyn::plots;

namespace {
Figure two_panel_figure() {
  Figure f;
  f.name = "demo";
  f.columns = 2;
  Panel& a = f.add(Panel{});
  a.title = "left";
  a.log_x = true;
  a.x_range = Range{1.0, std::nullopt};
  a.add(Series::line("theory", {1, 2}, {1, 2}).with_dash(2));
  a.add(Series::points("sim", {1, 2}, {1, 2}).with_color("#123456"));
  Panel& b = f.add(Panel{});
  b.cb_label = "loss";
  b.add(Series::heatmap("h", {1, 2}, {1, 2}, {1, 2, 3, 4}));
  return f;
}
}  // namespace

TEST_CASE("gnuplot strings escape quotes, backslashes and newlines") {
  CHECK(gnuplot_string("a \"b\" \\_ c\nd") == "\"a \\\"b\\\" \\\\_ c\\nd\"");
}

TEST_CASE("the script reads its data by the given relative names only") {
  const std::string s = gnuplot_script(two_panel_figure(), {{"demo_p1_s1.dat", "demo_p1_s2.dat"}, {"demo_p2_s1.dat"}});
  CHECK(s.find("\"demo_p1_s1.dat\" using 1:2 with lines") != std::string::npos);
  CHECK(s.find("\"demo_p1_s2.dat\" using 1:2 with points") != std::string::npos);
  CHECK(s.find("\"demo_p2_s1.dat\" using 1:2:3:4:5:6:7 with boxxyerror") != std::string::npos);
  CHECK(s.find("\"/") == std::string::npos);  // no absolute path anywhere
}

TEST_CASE("the script picks its terminal from `term` and never replots") {
  const std::string s = gnuplot_script(two_panel_figure(), {{"a", "b"}, {"c"}});
  CHECK(s.find("if (!exists(\"term\")) term = \"png\"") != std::string::npos);
  CHECK(s.find("set terminal pdfcairo") != std::string::npos);
  CHECK(s.find("set terminal pngcairo") != std::string::npos);
  CHECK(s.find("\nreplot") == std::string::npos);  // no replot command (comments may mention it)
  CHECK(s.find("set multiplot layout rows, columns") != std::string::npos);
  CHECK(s.find("rows = 1\ncolumns = 2\n") != std::string::npos);
}

TEST_CASE("series styles and panel settings reach the script") {
  const std::string s = gnuplot_script(two_panel_figure(), {{"a", "b"}, {"c"}});
  CHECK(s.find("with lines lt 1 dt 2 lw 2 title \"theory\"") != std::string::npos);  // first palette colour
  CHECK(s.find("lc rgb \"#123456\"") != std::string::npos);
  CHECK(s.find("set logscale x 10") != std::string::npos);
  CHECK(s.find("set xrange [1:*]") != std::string::npos);
  CHECK(s.find("set cblabel \"loss\"") != std::string::npos);
  CHECK(s.find("set linetype 1 lc rgb \"#0072B2\"") != std::string::npos);
}

TEST_CASE("a line series with markers draws linespoints, and a plain line does not") {
  Figure figure;
  figure.name = "markers";
  Panel panel;
  panel.add(Series::line("plain", {1, 2}, {1, 2}));
  panel.add(Series::line("marked", {1, 2}, {2, 3}).with_points(5, 0.6));
  figure.panels.push_back(panel);
  const std::string s = gnuplot_script(figure, {{"a", "b"}});
  CHECK(s.find("\"a\" using 1:2 with lines ") != std::string::npos);
  CHECK(s.find("\"b\" using 1:2 with linespoints ") != std::string::npos);
  CHECK(s.find("pt 5 ps 0.6 title \"marked\"") != std::string::npos);
}

TEST_CASE("gnuplot_script needs one data file per series") {
  CHECK_THROWS_AS(gnuplot_script(two_panel_figure(), {{"a"}, {"c"}}), std::invalid_argument);
}

// `set autoscale x` releases both ends, so it must come before the range that fixes some of them.
TEST_CASE("an explicit axis end survives the autoscale mode") {
  const std::string s = gnuplot_script(two_panel_figure(), {{"a", "b"}, {"c"}});
  const auto range = s.find("set xrange [1:*]");
  const auto autoscale = s.find("set autoscale x");
  REQUIRE(range != std::string::npos);
  REQUIRE(autoscale != std::string::npos);
  CHECK(autoscale < range);
}

TEST_CASE("explicit tic positions replace the automatic ones on that axis only") {
  Figure f = two_panel_figure();
  f.panels[0].x_tics = {64, 128, 256};
  const std::string s = gnuplot_script(f, {{"a", "b"}, {"c"}});
  CHECK(s.find("set xtics (64, 128, 256)\nunset mxtics\n") != std::string::npos);
  CHECK(s.find("set ytics autofreq\n") != std::string::npos);
}

TEST_CASE("a key below the axes has no box and a blank title line, so that it clears the x label") {
  Figure f = two_panel_figure();
  f.panels[0].key = KeyPosition::below;
  const std::string s = gnuplot_script(f, {{"a", "b"}, {"c"}});
  CHECK(s.find("set key below center horizontal nobox noopaque title \" \"") != std::string::npos);
}
