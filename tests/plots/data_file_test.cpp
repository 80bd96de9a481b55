#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

#include <cotdyn/plots/data_file.hpp>
#include <cotdyn/tests/plots/temp_dir.hpp>

using namespace cotdyn::plots;

TEST_CASE("data tables keep 17 significant digits, so doubles round-trip exactly") {
  DataTable t;
  t.column_names = {"x", "y"};
  t.columns = {{0.1, 1.0 / 3.0}, {1e-300, -2.5}};
  const std::string text = format_data_table(t);
  CHECK(text.find("0.10000000000000001 1e-300\n") != std::string::npos);
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  CHECK(line == "# x y");
  double x = 0, y = 0;
  in >> x >> y;
  in >> x >> y;
  CHECK(x == 1.0 / 3.0);  // exact, not approximate
  CHECK(y == -2.5);
}

TEST_CASE("non-finite values are written as NaN and Inf for gnuplot to skip") {
  DataTable t;
  t.column_names = {"v"};
  t.columns = {{std::nan(""), std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()}};
  CHECK(format_data_table(t) == "# v\nNaN\nInf\n-Inf\n");
}

TEST_CASE("comments come first, one line each, then the column names") {
  DataTable t;
  t.comments = {"first", "two\nlines"};
  t.column_names = {"a"};
  t.columns = {{1}};
  CHECK(format_data_table(t) == "# first\n# two lines\n# a\n1\n");
}

TEST_CASE("columns of different length are rejected") {
  DataTable t;
  t.column_names = {"a", "b"};
  t.columns = {{1, 2}, {1}};
  CHECK_THROWS_AS(format_data_table(t), std::invalid_argument);
}

TEST_CASE("write_data_file writes the table and leaves no temporary file behind") {
  test::TempDir dir("datafile");
  DataTable t;
  t.column_names = {"a"};
  t.columns = {{4}};
  write_data_file(dir.path() / "t.dat", t);
  std::ifstream in(dir.path() / "t.dat");
  std::stringstream content;
  content << in.rdbuf();
  CHECK(content.str() == "# a\n4\n");
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator{}) == 1);
}

TEST_CASE("heatmap cell edges are midpoints, geometric on a log axis") {
  const auto lin = heatmap_cell_edges({1, 2, 4}, false);
  REQUIRE(lin.size() == 4);
  CHECK(lin[0] == doctest::Approx(0.5));
  CHECK(lin[1] == doctest::Approx(1.5));
  CHECK(lin[2] == doctest::Approx(3.0));
  CHECK(lin[3] == doctest::Approx(5.0));
  const auto log = heatmap_cell_edges({1, 10, 100}, true);
  REQUIRE(log.size() == 4);
  CHECK(log[0] == doctest::Approx(1 / std::sqrt(10.0)));
  CHECK(log[1] == doctest::Approx(std::sqrt(10.0)));
  CHECK(log[2] == doctest::Approx(std::sqrt(1000.0)));
  CHECK(log[3] == doctest::Approx(std::sqrt(100000.0)));
}

TEST_CASE("a heatmap table has one row per cell with its edges and value") {
  Panel p;
  p.cb_label = "loss";
  const Series s = Series::heatmap("h", {1, 2}, {10, 20, 30}, {1, 2, 3, 4, 5, 6});
  const DataTable t = series_table(s, p);
  REQUIRE(t.columns.size() == 7);
  REQUIRE(t.columns[0].size() == 6);
  // Row 3 (0-based) is ix = 1, iy = 1: centre (2, 20), value values[1 * 2 + 1] = 4.
  CHECK(t.columns[0][3] == 2);
  CHECK(t.columns[1][3] == 20);
  CHECK(t.columns[2][3] == doctest::Approx(1.5));
  CHECK(t.columns[3][3] == doctest::Approx(2.5));
  CHECK(t.columns[4][3] == doctest::Approx(15));
  CHECK(t.columns[5][3] == doctest::Approx(25));
  CHECK(t.columns[6][3] == 4);
}
