// `cotdyn ablate` end to end on a tiny workload (S3 with two actions, L = 3, d = 16, t_max = 6: the ODE
// locks on at t_1/2 = 2.14): the documented files, the resume path, and bad input that exits with
// status 2 naming the key and the allowed switch names, writing nothing.
#include <doctest/doctest.h>

#include <algorithm>
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
// The variants of the end-to-end run: the baseline and one switch (the general model's geometric RoPE).
const std::vector<std::string> switches = {"baseline", "rope=geometric"};

std::string small_config() {
  std::string list;
  for (const auto& s : switches) list += (list.empty() ? "" : ",") + fmt::format("\"{}\"", s);
  return fmt::format(
      "--set task.group=S3 --set 'task.actions=[[1,0,2],[0,2,1]]' --set task.L=3 --set model.sigma2=0.1 "
      "--set train.eta_A=10 --set train.t_max=6 --set observe.times=linear:0:t_max:13 --set 'ablate.d=[16]' "
      "--set ablate.seeds=1 --set 'ablate.switches=[{}]' --set 'ablate.pairs=[]' --threads 2",
      list);
}

fs::path scratch(const std::string& name) { return cotdyn::testing::scratch_directory("ablate_cmd", name); }

int run(const std::string& arguments, const fs::path& log) { return cotdyn::testing::run_cotdyn(arguments, log); }

std::string read(const fs::path& path) { return cotdyn::testing::read_text(path); }

std::vector<std::vector<std::string>> csv_rows(const fs::path& path, std::string& header) {
  std::ifstream in(path);
  std::getline(in, header);
  std::vector<std::vector<std::string>> rows;
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::stringstream fields(line);
    for (std::string cell; std::getline(fields, cell, ',');) cells.push_back(cell);
    if (!line.empty() && line.back() == ',') cells.emplace_back();
    rows.push_back(cells);
  }
  return rows;
}
}  // namespace

TEST_CASE("cotdyn ablate writes the table, report, figures, manifest and one saved run per variant and d") {
  const fs::path dir = scratch("files");
  const fs::path out = dir / "out";
  const int status = run(fmt::format("ablate {} --out '{}'", small_config(), out.string()), dir / "log");
  const std::string log = read(dir / "log");
  INFO(log);
  REQUIRE(status == 0);
  std::string header;
  const auto rows = csv_rows(out / "ablation.csv", header);
  CHECK(header.rfind("variant,switches,d,seeds,failed_seeds,t_half,", 0) == 0);
  REQUIRE(rows.size() == switches.size());
  for (std::size_t k = 0; k < switches.size(); ++k) {
    CAPTURE(switches[k]);
    CHECK(rows[k][0] == switches[k]);
    CHECK(rows[k][2] == "16");
    CHECK(rows[k][3] == "1");                               // seeds
    CHECK(std::isfinite(std::stod(rows[k][9])));           // theory_t_half
    CHECK(!rows[k][20].empty());                           // rms_alpha
    CHECK(rows[k][23] != "failed");
    std::string slug = switches[k];  // file names replace '=' by '-'
    std::replace(slug.begin(), slug.end(), '=', '-');
    CHECK(fs::is_regular_file(out / "runs" / fmt::format("{}_d16.json", slug)));
    CHECK(fs::is_regular_file(out / "runs" / fmt::format("{}_d16.csv", slug)));
  }
  CHECK(std::stod(rows[0][9]) == doctest::Approx(2.14).epsilon(0.01));  // the solvable model's ODE
  CHECK(log.find("cotdyn ablate: [1/") != std::string::npos);          // progress on stderr
  const std::string report = read(out / "report.md");
  CHECK(report.rfind("# cotdyn ablate", 0) == 0);
  CHECK(report.find("| baseline |") != std::string::npos);
  for (const char* figure : {"ablation_overlay", "ablation_summary"})
    for (const char* extension : {"gp", "png", "pdf"}) {
      const fs::path file = out / "figures" / fmt::format("{}.{}", figure, extension);
      CAPTURE(file);
      CHECK(fs::is_regular_file(file));
      CHECK(fs::file_size(file) > 500);
    }
  const auto manifest = nlohmann::json::parse(read(out / "manifest.json"));
  CHECK(manifest["command"] == "ablate");
  CHECK(manifest["status"] == "complete");
  CHECK(manifest["results"]["variants"].size() == switches.size());
  CHECK(manifest["threads"]["used"]["jobs_in_flight"].get<int>() >= 1);

  SUBCASE("--resume reuses every saved run and rewrites the same table") {
    const std::string before = read(out / "ablation.csv");
    const int again = run(fmt::format("ablate --resume --no-render --out '{}'", out.string()), dir / "log2");
    const std::string log2 = read(dir / "log2");
    INFO(log2);
    REQUIRE(again == 0);
    CHECK(log2.find(fmt::format("resumed {} finished runs", switches.size())) != std::string::npos);
    CHECK(log2.find("cotdyn ablate: start") == std::string::npos);  // nothing retrained
    CHECK(read(out / "ablation.csv") == before);
  }
  SUBCASE("--resume refuses a new config") {
    const int again = run(fmt::format("ablate --resume --set ablate.seeds=2 --out '{}'", out.string()), dir / "log3");
    CHECK(again == 2);
    CHECK(read(dir / "log3").find("--resume takes the config saved in --out DIR") != std::string::npos);
  }
  fs::remove_all(dir);
}

TEST_CASE("cotdyn ablate: bad [ablate] values exit with status 2, name the value and the allowed switches, write nothing") {
  const fs::path dir = scratch("bad");
  struct Case {
    std::string set, message;
  };
  for (const Case& c : {Case{"--set 'ablate.switches=[\"baseline\",\"flash_attention\"]'",
                             "ablate.switches contains \"flash_attention\": unknown switch; allowed are \"baseline\" and "
                             "train_embeddings, content_qk, rope=geometric, causal_attention, logic_module=mlp"},
                        Case{"--set 'ablate.pairs=[[\"single_lr\",\"single_lr\"]]'", "a pair needs two different switches"},
                        Case{"--set 'ablate.d=[18]'", "ablate variant \"baseline\" at d = 18: model.d = 18"},
                        Case{"--set ablation.single_lr=true", "ablation.single_lr = true: cotdyn ablate needs every"}}) {
    CAPTURE(c.set);
    const fs::path out = dir / "out";
    const int status = run(fmt::format("ablate {} {} --out '{}'", small_config(), c.set, out.string()), dir / "log");
    const std::string log = read(dir / "log");
    INFO(log);
    CHECK(status == 2);
    CHECK(log.find(c.message) != std::string::npos);
    CHECK_FALSE(fs::exists(out));
  }
  fs::remove_all(dir);
}
