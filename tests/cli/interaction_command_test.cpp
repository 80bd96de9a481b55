// `cotdyn interaction` end to end on a small table (two activations, r = 1, 2, T = 4, 8): its files and
// columns, closed-form values, symmetry zeros, the measurement, and bad input that writes nothing.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;

#include <cotdyn/tests/cli/command_test_helpers.hpp>
namespace {
// x2 (an even activation) and tanh (an odd one) at b = 0, v = 1: x2 has Delta_1 = 0 and tanh Delta_2 = 0 by
// symmetry, and x2's order-2 signal is Delta_2 = E[(sum_j x_j / T)^2 x_1 x_2] = 2 / T^2 exactly.
const std::string small_table =
    "--set 'interaction.activations=[\"x2\",\"tanh\"]' --set 'interaction.r=[1,2]' --set 'interaction.T=[4,8]' "
    "--set 'interaction.b=[0.0]' --set interaction.v=1.0 --set interaction.samples=2000";

fs::path scratch(const std::string& name) { return cotdyn::testing::scratch_directory("interaction", name); }

int run(const std::string& arguments, const fs::path& log) { return cotdyn::testing::run_cotdyn(arguments, log); }

std::string read(const fs::path& path) { return cotdyn::testing::read_text(path); }

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream in(line);
  for (std::string field; std::getline(in, field, ',');) fields.push_back(field);
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

struct Csv {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
  // The cell of `column` in the row whose first columns equal `key` (activation, ..., r[, T]).
  std::string cell(const std::vector<std::pair<std::string, std::string>>& key, const std::string& column) const {
    const auto index = [&](const std::string& name) {
      for (std::size_t i = 0; i < columns.size(); ++i)
        if (columns[i] == name) return i;
      FAIL("no column " << name);
      return std::size_t{0};
    };
    for (const auto& row : rows) {
      bool match = true;
      for (const auto& [name, value] : key) match = match && row.at(index(name)) == value;
      if (match) return row.at(index(column));
    }
    FAIL("no row for the key");
    return "";
  }
};

Csv read_csv(const fs::path& path) {
  std::ifstream in(path);
  Csv csv;
  std::string line;
  std::getline(in, line);
  csv.columns = split(line);
  while (std::getline(in, line)) csv.rows.push_back(split(line));
  return csv;
}

std::string first_line(const fs::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

fs::path run_small_table(const fs::path& dir, const std::string& extra) {
  const fs::path out = dir / "out";
  const int status = run(fmt::format("interaction {} {} --out '{}'", small_table, extra, out.string()), dir / "log");
  const std::string log = read(dir / "log");
  INFO(log);
  REQUIRE(status == 0);
  return out;
}

using Key = std::vector<std::pair<std::string, std::string>>;
Key cell(const std::string& activation, int r, int T) {
  return {{"activation", activation}, {"r", std::to_string(r)}, {"T", std::to_string(T)}};
}
}  // namespace

TEST_CASE("cotdyn interaction writes its tables with the documented columns, figures and a manifest") {
  const fs::path dir = scratch("files");
  const fs::path out = run_small_table(dir, "");
  CHECK(first_line(out / "interaction.csv") ==
        "activation,b,v,tokens,r,T,delta_exact,delta_taylor,delta_gauss,delta_measured,stderr,ratio");
  CHECK(first_line(out / "slopes.csv") ==
        "activation,b,v,tokens,r,n_exact,slope_exact,slope_exact_stderr,slope_local_exact,n_measured,slope_measured,"
        "slope_measured_stderr");
  CHECK(first_line(out / "compression.csv") ==
        "levels_compressed,order,delta_exact,delta_taylor,g_in,sample_complexity,sample_complexity_scaling,"
        "precision_digits");
  CHECK(read_csv(out / "compression.csv").rows.size() == 4);  // 0..3 levels of the parity tree
  for (const char* figure : {"delta_x2", "delta_tanh", "exponents"})
    for (const char* extension : {"gp", "png", "pdf"}) {
      const fs::path file = out / "figures" / fmt::format("{}.{}", figure, extension);
      CAPTURE(file);
      REQUIRE(fs::is_regular_file(file));
      CHECK(fs::file_size(file) > 1000);
    }
  const auto manifest = nlohmann::json::parse(read(out / "manifest.json"));
  CHECK(manifest["command"] == "interaction");
  CHECK(manifest["results"]["cells"] == 8);
  fs::remove_all(dir);
}

TEST_CASE("interaction.csv has one row per activation x b x r x T cell, in that nesting order") {
  const fs::path dir = scratch("rows");
  const fs::path out = run_small_table(dir, "--no-measure --no-render");
  const Csv table = read_csv(out / "interaction.csv");
  REQUIRE(table.rows.size() == 8);
  std::size_t i = 0;
  for (const char* activation : {"x2", "tanh"})
    for (int r : {1, 2})
      for (int T : {4, 8}) {
        const auto& row = table.rows[i++];
        CAPTURE(i);
        REQUIRE(row.size() == 12);
        CHECK(row[0] == activation);
        CHECK(row[1] == "0");
        CHECK(row[2] == "1");
        CHECK(row[3] == "rademacher");
        CHECK(row[4] == std::to_string(r));
        CHECK(row[5] == std::to_string(T));
        CHECK(row[9].empty());   // --no-measure: no measured value,
        CHECK(row[10].empty());  // no standard error,
        CHECK(row[11].empty());  // no ratio
      }
  CHECK(read_csv(out / "slopes.csv").rows.size() == 4);  // one per activation x r
  fs::remove_all(dir);
}

TEST_CASE("interaction closed forms: x2 at r = 2 gives Delta = 2/T^2 in every form, and a slope of -2") {
  const fs::path dir = scratch("closed_forms");
  const fs::path out = run_small_table(dir, "--no-measure --no-render");
  const Csv table = read_csv(out / "interaction.csv");
  for (int T : {4, 8}) {
    CAPTURE(T);
    for (const char* form : {"delta_exact", "delta_taylor", "delta_gauss"}) {
      CAPTURE(form);
      CHECK(std::stod(table.cell(cell("x2", 2, T), form)) == doctest::Approx(2.0 / (T * T)).epsilon(1e-12));
    }
  }
  // tanh, r = 1: Delta_1 = E[tanh(mean x) x_1] lies between the first-order Taylor value 1/T and 0.
  for (int T : {4, 8}) {
    const double exact = std::stod(table.cell(cell("tanh", 1, T), "delta_exact"));
    CAPTURE(T);
    CHECK(exact > 0);
    CHECK(exact < 1.0 / T);
  }
  const Csv slopes = read_csv(out / "slopes.csv");
  const Key x2_r2 = {{"activation", "x2"}, {"r", "2"}};
  CHECK(slopes.cell(x2_r2, "n_exact") == "2");
  CHECK(std::stod(slopes.cell(x2_r2, "slope_exact")) == doctest::Approx(-2.0).epsilon(1e-12));
  fs::remove_all(dir);
}

TEST_CASE("interaction symmetry zeros (x2 at r = 1, tanh at r = 2) have no ratio and no fitted slope") {
  const fs::path dir = scratch("zeros");
  const fs::path out = run_small_table(dir, "--no-render");
  const Csv table = read_csv(out / "interaction.csv");
  const Csv slopes = read_csv(out / "slopes.csv");
  for (const auto& [activation, r] : {std::pair<std::string, int>{"x2", 1}, {"tanh", 2}}) {
    CAPTURE(activation);
    CAPTURE(r);
    for (int T : {4, 8}) {
      CAPTURE(T);
      CHECK(std::abs(std::stod(table.cell(cell(activation, r, T), "delta_exact"))) < 1e-14);
      CHECK(table.cell(cell(activation, r, T), "ratio").empty());
    }
    const Key key = {{"activation", activation}, {"r", std::to_string(r)}};
    CHECK(slopes.cell(key, "n_exact") == "0");
    CHECK(slopes.cell(key, "slope_exact").empty());
    // A measured value of a zero signal is rounding noise, even when its standard error is smaller still:
    // no measured slope either.
    CHECK(slopes.cell(key, "n_measured") == "0");
    CHECK(slopes.cell(key, "slope_measured").empty());
  }
  fs::remove_all(dir);
}

TEST_CASE("interaction measurements agree with the exact signal within a few standard errors") {
  const fs::path dir = scratch("measured");
  const fs::path out = run_small_table(dir, "--no-render");
  const auto manifest = nlohmann::json::parse(read(out / "manifest.json"));
  const Csv table = read_csv(out / "interaction.csv");
  if (!manifest["results"]["measured"].get<bool>()) {
    MESSAGE("cotdyn built without LibTorch: the measured columns stay empty");
    CHECK(table.cell(cell("tanh", 1, 4), "delta_measured").empty());
    fs::remove_all(dir);
    return;
  }
  for (int T : {4, 8}) {
    CAPTURE(T);
    const Key key = cell("tanh", 1, T);
    const double exact = std::stod(table.cell(key, "delta_exact"));
    const double measured = std::stod(table.cell(key, "delta_measured"));
    const double stderr_ = std::stod(table.cell(key, "stderr"));
    CHECK(stderr_ > 0);
    CHECK(stderr_ < 0.05 * exact);  // 2000 antithetic pairs resolve the order-1 signal
    CHECK(std::abs(measured - exact) < 5 * stderr_);
    CHECK(std::stod(table.cell(key, "ratio")) == doctest::Approx(measured / exact).epsilon(1e-12));
  }
  CHECK(manifest["results"]["cells_outside_3_stderr"].get<int>() <= 1);
  fs::remove_all(dir);
}

namespace {
void check_refused(const std::string& name, const std::string& settings, const std::vector<std::string>& message) {
  const fs::path dir = scratch(name);
  const fs::path out = dir / "out";
  CHECK(run(fmt::format("interaction --no-measure {} --out '{}'", settings, out.string()), dir / "log") == 2);
  const std::string log = read(dir / "log");
  CAPTURE(log);
  for (const auto& part : message) CHECK(log.find(part) != std::string::npos);
  CHECK(!fs::exists(out));
  fs::remove_all(dir);
}
}  // namespace

TEST_CASE("interaction refuses an order r larger than a length T, naming interaction.T and the r") {
  check_refused("r_above_T", "--set 'interaction.r=[1,5]' --set 'interaction.T=[4,8]'",
                {"interaction.T = 4", "r = 5"});
}

TEST_CASE("interaction refuses an unknown activation, naming interaction.activations and the name") {
  check_refused("activation", "--set 'interaction.activations=[\"tanh\",\"sine\"]'",
                {"interaction.activations", "\"sine\""});
}

TEST_CASE("interaction refuses a length T below 1, naming interaction.T and the value") {
  check_refused("T_zero", "--set 'interaction.r=[1]' --set 'interaction.T=[0,4]'", {"interaction.T = 0", ">= 1"});
}
