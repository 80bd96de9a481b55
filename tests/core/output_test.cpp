// Output files: 17 significant digits, atomic writes.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <cotdyn/core/output.hpp>

using namespace cotdyn::core;

TEST_CASE("CSV numbers round-trip a double with 17 significant digits") {
  const double x = 0.1 + 0.2;
  CHECK(csv_number(x) == "0.30000000000000004");
  CHECK(std::stod(csv_number(1.0 / 3.0)) == 1.0 / 3.0);
  CHECK(csv_number(std::nan("")) == "");
}

TEST_CASE("a CSV table is written atomically with its header, leaving no temporary file") {
  const auto dir = std::filesystem::temp_directory_path() / "cotdyn_test_output";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  CsvTable table({"t", "M"});
  table.add_row(std::vector<double>{0.0, 1.5});
  table.write(dir / "x.csv");
  std::ifstream in(dir / "x.csv");
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str() == "t,M\n0,1.5\n");
  int files = 0;
  for ([[maybe_unused]] auto& entry : std::filesystem::directory_iterator(dir)) ++files;
  CHECK(files == 1);
  CHECK_THROWS_AS(table.add_row(std::vector<double>{1.0}), std::logic_error);
  std::filesystem::remove_all(dir);
}
