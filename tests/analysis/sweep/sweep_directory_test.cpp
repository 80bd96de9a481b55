// Running sweeps into directories: points.csv, resume, temporary-file cleanup, shards and merge.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <cotdyn/analysis/sweep/point_file.hpp>
#include <cotdyn/analysis/sweep/run_sweep.hpp>
#include <cotdyn/analysis/sweep/sweep_directory.hpp>
#include <cotdyn/analysis/sweep/sweep_figures.hpp>

using namespace cotdyn::sweep;
namespace fs = std::filesystem;

namespace {
const char* small_sweep = R"(
kind = "theory"
[axes]
"train.eta_A" = { log = [1, 4, 3] }
"model.sigma2" = { values = [0.01, 0.1] }
)";

PreparedSweep prepared(const std::string& text = small_sweep) {
  return prepare_sweep(parse_sweep(text, ".", "test.toml", "", {"train.t_max=60"}));
}

fs::path fresh_directory(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("cotdyn_test_sweep_" + name);
  fs::remove_all(dir);
  return dir;
}

std::string read(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

SweepSummary run(const PreparedSweep& sweep, const fs::path& dir, bool resume = false, Shard shard = {}) {
  std::ostringstream log;
  SweepOptions options;
  options.out = dir;
  options.resume = resume;
  options.shard = shard;
  options.threads = 2;
  return run_sweep(sweep, options, log);
}
}  // namespace

TEST_CASE("a sweep writes one point file per point and points.csv with axes then milestones") {
  const auto sweep = prepared();
  const fs::path dir = fresh_directory("basic");
  const auto summary = run(sweep, dir);
  CHECK(summary.ran == 6);
  CHECK(finished_point_hashes(dir).size() == 6);
  const std::string csv = read(dir / "points.csv");
  CHECK(csv.rfind("train.eta_A,model.sigma2,t_half,t_half_estimate,Q_max,t_Q_max,plateau_step_acc,", 0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 7);
  CHECK(csv.find("\n1,0.01,") != std::string::npos);  // first point: eta_A = 1 (integer-valued float), sigma2 = 0.01
  const auto point = read_point_file(point_file_path(dir, sweep.hashes[0]));
  REQUIRE(point);
  CHECK((*point)["sweep_id"] == sweep.sweep_id);
  CHECK((*point)["trajectory"]["rows"].size() == 41);
  CHECK(fs::exists(dir / "manifest.json"));
  fs::remove_all(dir);
}

TEST_CASE("rerunning without --resume is refused, and --resume skips finished points and cleans temporaries") {
  const auto sweep = prepared();
  const fs::path dir = fresh_directory("resume");
  run(sweep, dir);
  const std::string before = read(dir / "points.csv");
  CHECK_THROWS_WITH_AS(run(sweep, dir), doctest::Contains("--resume"), std::invalid_argument);

  // A killed run leaves a temporary file and misses some points.
  fs::remove(point_file_path(dir, sweep.hashes[4]));
  std::ofstream(dir / "points" / ".abc.json.tmp.12345") << "{\"truncated";
  const auto summary = run(sweep, dir, true);
  CHECK(summary.already_finished == 5);
  CHECK(summary.ran == 1);
  CHECK(!fs::exists(dir / "points" / ".abc.json.tmp.12345"));
  CHECK(read(dir / "points.csv") == before);

  const auto other = prepared("kind = \"theory\"\n[axes]\n\"train.eta_A\" = { values = [3.0] }\n");
  CHECK_THROWS_WITH_AS(run(other, dir, true), doctest::Contains("not this sweep"), std::invalid_argument);
  fs::remove_all(dir);
}

TEST_CASE("shards merged equal the whole sweep, and merging different sweeps is refused and writes nothing") {
  const auto sweep = prepared();
  const fs::path whole = fresh_directory("whole"), split = fresh_directory("split");
  run(sweep, whole);
  const auto s0 = run(sweep, split, false, Shard{0, 2});
  const auto s1 = run(sweep, split, false, Shard{1, 2});
  CHECK(s0.directory == split / "shard-0-of-2");
  CHECK(s0.ran == 3);
  CHECK(s1.ran == 3);
  // Each shard's points.csv holds only its rows.
  const std::string shard_csv = read(s0.directory / "points.csv");
  CHECK(std::count(shard_csv.begin(), shard_csv.end(), '\n') == 4);

  const auto table = merge_sweep_directories({s0.directory, s1.directory}, split / "merged");
  CHECK(table.rows.size() == 6);
  CHECK(read(split / "merged" / "points.csv") == read(whole / "points.csv"));

  const auto other = prepared("kind = \"theory\"\n[axes]\n\"train.eta_A\" = { values = [3.0] }\n");
  const fs::path other_dir = fresh_directory("other");
  run(other, other_dir);
  CHECK_THROWS_WITH_AS(merge_sweep_directories({s0.directory, other_dir}, split / "bad"),
                       doctest::Contains("only shards of one sweep"), std::invalid_argument);
  CHECK(!fs::exists(split / "bad"));
  fs::remove_all(whole);
  fs::remove_all(split);
  fs::remove_all(other_dir);
}

TEST_CASE("figures: milestone lines per axis and a heatmap over the first two axes, as data + scripts") {
  const auto sweep = prepared();
  const fs::path dir = fresh_directory("figures");
  run(sweep, dir);
  const auto table = read_points_table(dir);
  FigureOptions no_render;
  no_render.render = false;
  const auto names = default_sweep_figures(table, dir / "figures", no_render);
  REQUIRE(names.size() == 3);
  CHECK(fs::exists(dir / "figures" / "milestones_vs_train.eta_A.gp"));
  CHECK(fs::exists(dir / "figures" / "heatmap_train.eta_A_model.sigma2.gp"));
  // The heatmap holds one cell per (eta_A, sigma2) pair with the point's t_half.
  const std::string cells = read(dir / "figures" / "heatmap_train.eta_A_model.sigma2_p1_s1.dat");
  std::size_t rows = 0;
  std::istringstream lines(cells);
  for (std::string line; std::getline(lines, line);)
    if (!line.empty() && line[0] != '#') ++rows;
  CHECK(rows == 6);
  CHECK_THROWS_WITH_AS(heatmap_figure(table, "train.eta_A", "task.L", {"t_half"}, dir / "figures", no_render),
                       doctest::Contains("task.L"), std::invalid_argument);
  fs::remove_all(dir);
}
