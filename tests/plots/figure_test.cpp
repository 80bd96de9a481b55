#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include <cotdyn/plots/figure.hpp>

using namespace cotdyn::plots;

namespace {
Figure one_series_figure(Series s) {
  Figure f;
  f.name = "fig";
  f.add(Panel{}).add(std::move(s));
  return f;
}

std::string message_of(const Figure& f) {
  try {
    validate(f);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("validate accepts a well-formed figure of every series kind") {
  Figure f;
  f.name = "all_kinds";
  Panel& p = f.add(Panel{});
  p.add(Series::band("band", {1, 2}, {0, 1}, {2, 3}));
  p.add(Series::line("line", {1, 2}, {1, 2}));
  p.add(Series::points("points", {1, 2}, {1, 2}));
  p.add(Series::error_bars("errors", {1, 2}, {1, 2}, {0.1, 0.2}));
  f.add(Panel{}).add(Series::heatmap("heat", {1, 2, 3}, {1, 2}, {1, 2, 3, 4, 5, 6}));
  CHECK_NOTHROW(validate(f));
}

TEST_CASE("symmetric error bars become y - err and y + err") {
  const Series s = Series::error_bars("e", {1, 2}, {10, 20}, {1, 3});
  CHECK(s.y_low == std::vector<double>{9, 17});
  CHECK(s.y_high == std::vector<double>{11, 23});
}

TEST_CASE("validate names the series and both lengths when columns differ") {
  const auto msg = message_of(one_series_figure(Series::line("theory", {1, 2, 3}, {1, 2})));
  CHECK(msg.find("series 1 'theory'") != std::string::npos);
  CHECK(msg.find("y has 2 values but x has 3") != std::string::npos);
}

TEST_CASE("validate rejects a heatmap whose values do not fill the grid") {
  const auto msg = message_of(one_series_figure(Series::heatmap("h", {1, 2}, {1, 2}, {1, 2, 3})));
  CHECK(msg.find("values has 3 values") != std::string::npos);
}

TEST_CASE("validate rejects non-increasing heatmap centres and non-positive centres on log axes") {
  CHECK(message_of(one_series_figure(Series::heatmap("h", {2, 1}, {1}, {1, 2}))).find("strictly increasing") !=
        std::string::npos);
  Figure f = one_series_figure(Series::heatmap("h", {0, 1}, {1}, {1, 2}));
  f.panels[0].log_x = true;
  CHECK(message_of(f).find("log axis") != std::string::npos);
}

TEST_CASE("validate rejects file-unsafe figure names, bad colours and empty ranges") {
  Figure f = one_series_figure(Series::line("l", {1}, {1}));
  f.name = "../escape";
  CHECK(message_of(f).find("figure.name") != std::string::npos);
  f.name = "ok";
  f.panels[0].series[0].color = "red";
  CHECK(message_of(f).find("color 'red'") != std::string::npos);
  f.panels[0].series[0].color = "#aabbcc";
  f.panels[0].x_range = Range{2.0, 1.0};
  CHECK(message_of(f).find("x_range") != std::string::npos);
  f.panels[0].x_range = Range{0.0, 1.0};
  f.panels[0].log_x = true;
  CHECK(message_of(f).find("log axis") != std::string::npos);
}

TEST_CASE("validate rejects tic positions a log axis cannot show") {
  Figure f = one_series_figure(Series::line("l", {1, 2}, {1, 2}));
  f.panels[0].log_x = true;
  f.panels[0].x_tics = {1.0, 0.0};
  CHECK(message_of(f).find("x_tics[1] = 0") != std::string::npos);
}

TEST_CASE("validate rejects empty figures, panels and series") {
  Figure f;
  f.name = "empty";
  CHECK(message_of(f).find("no panels") != std::string::npos);
  f.add(Panel{});
  CHECK(message_of(f).find("no series") != std::string::npos);
  f.panels[0].add(Series::line("l", {}, {}));
  CHECK(message_of(f).find("no points") != std::string::npos);
}

TEST_CASE("rows of the panel grid round up") {
  Figure f;
  f.columns = 2;
  for (int i = 0; i < 3; ++i) f.add(Panel{});
  CHECK(f.rows() == 2);
}

TEST_CASE("literal escapes every underscore and keeps the rest") {
  CHECK(literal("R_0_1") == "R\\_0\\_1");
  CHECK(literal("eg") == "eg");
  CHECK(literal("") == "");
}
