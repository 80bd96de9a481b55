// compare trains its sizes side by side when each run is serial (Model::training_threads) and one
// after another when progress goes to a caller's callback: the same computation, so the same files.
#include <cotdyn/analysis/commands/compare_command.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <tbb/info.h>

#include <cotdyn/analysis/commands/command_options.hpp>

#include <doctest/doctest.h>

using namespace cotdyn;

namespace {
std::string contents(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}
}  // namespace

TEST_CASE("compare's sizes side by side give the files of compare's sizes one after another") {
  commands::ConfigSource source;
  source.assignments = {"model.kind=committee", "compare.d=[40,80,60]", "train.t_max=3", "train.seeds=2",
                        "committee.test_size=200", "observe.times=linear:0:t_max:4", "committee.sigma=0.1"};
  const auto config = commands::load_config(source);
  const auto root = std::filesystem::temp_directory_path() / "cotdyn_test_compare_side_by_side";
  std::filesystem::remove_all(root);
  std::vector<std::string> lines;
  commands::CommandOptions side_by_side;
  side_by_side.progress = false;
  side_by_side.render = false;
  side_by_side.log = [&](const std::string& line) { lines.push_back(line); };
  commands::CommandOptions one_after_another = side_by_side;
  one_after_another.on_progress = [](std::int64_t, std::int64_t) {};  // a caller's callback: sequential
  const auto a = commands::run_compare(config, (root / "a").string(), side_by_side);
  const std::size_t logged = lines.size();
  const auto b = commands::run_compare(config, (root / "b").string(), one_after_another);
  REQUIRE_FALSE(a.interrupted);
  REQUIRE_FALSE(b.interrupted);
  for (const char* file : {"simulation.csv", "simulation_summary.csv", "theory.csv", "discrepancy.csv", "report.md"}) {
    CAPTURE(file);
    const auto text = contents(root / "a" / file);
    CHECK_FALSE(text.empty());
    CHECK(text == contents(root / "b" / file));
  }
  // The first run announced its sizes (in increasing order) in one line when the machine has two
  // cores or more, the second one line per size.
  if (tbb::info::default_concurrency() == 2) {
    REQUIRE(logged >= 1);
    INFO(lines[0]);
    CHECK(lines[0].find("N = 40 (2 seeds, 120 steps), N = 60 (2 seeds, 180 steps), N = 80 (2 seeds, 240 steps), 2 at a time") !=
          std::string::npos);
  }
  CHECK(lines.size() - logged >= 3);
  std::filesystem::remove_all(root);
}
