// Running sweeps into directories: chunk files, points.csv, resume, temporary-file cleanup, shards and
// merge.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <cotdyn/analysis/sweep/chunk.hpp>
#include <cotdyn/analysis/sweep/chunk_file.hpp>
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

TEST_CASE("a small sweep writes one chunk file per point and points.csv with axes then milestones") {
  const auto sweep = prepared();
  const fs::path dir = fresh_directory("basic");
  const auto summary = run(sweep, dir);
  CHECK(summary.ran == 6);
  CHECK(summary.chunks_written == 6);
  CHECK(chunk_files(dir).size() == 6);
  const std::string csv = read(dir / "points.csv");
  CHECK(csv.rfind("train.eta_A,model.sigma2,t_half,t_half_estimate,Q_max,t_Q_max,plateau_step_acc,", 0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 7);
  CHECK(csv.find("\n1,0.01,") != std::string::npos);  // first point: eta_A = 1 (integer-valued float), sigma2 = 0.01
  CHECK(csv.find(",points/chunk_0.jsonl,\n") != std::string::npos);
  const auto chunk = read_chunk_file(chunk_file_path(dir, 0, 6));
  CHECK(chunk.header.sweep_id == sweep.sweep_id);
  REQUIRE(chunk.entries.size() == 1);
  CHECK(chunk.entries[0].point == 0);
  CHECK(chunk.entries[0].trajectory["rows"].size() == 41);
  CHECK(read_sweep_json(dir)["chunk_size"] == 1);
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
  fs::remove(chunk_file_path(dir, 4, 6));
  std::ofstream(dir / "points" / ".chunk_4.jsonl.tmp.12345") << "{\"truncated";
  const auto summary = run(sweep, dir, true);
  CHECK(summary.already_finished == 5);
  CHECK(summary.ran == 1);
  CHECK(!fs::exists(dir / "points" / ".chunk_4.jsonl.tmp.12345"));
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

namespace {
// 510 points (chunks of 2, 255 files), milestones only at a loose tolerance: about 0.1 s on 2 cores.
const char* chunked_sweep = R"(
kind = "theory"
trajectories = false
[set]
"theory.rtol" = 1e-6
"theory.atol" = 1e-9
[axes]
"train.eta_A" = { log = [1, 4, 51] }
"model.sigma2" = { log = [0.001, 0.1, 10] }
)";

std::size_t lines(const std::string& text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }
}  // namespace

TEST_CASE("a sweep of 510 points writes 255 chunk files of 2 points, atomically, without trajectories") {
  const auto sweep = prepared(chunked_sweep);
  CHECK(sweep.chunk_size == 2);
  CHECK(!sweep.trajectories);
  const fs::path dir = fresh_directory("chunked");
  const auto summary = run(sweep, dir);
  CHECK(summary.ran == 510);
  CHECK(summary.chunks_written == 255);
  const auto files = chunk_files(dir);
  REQUIRE(files.size() == 255);
  CHECK(files.front().filename() == "chunk_000.jsonl");
  CHECK(files.back().filename() == "chunk_508.jsonl");
  for (const auto& path : files) {
    const auto chunk = read_chunk_file(path);
    REQUIRE(chunk.entries.size() == 2);
    CHECK(chunk.entries[1].point == chunk.entries[0].point + 1);
    CHECK(chunk.entries[0].trajectory.is_null());
  }
  for (const auto& entry : fs::directory_iterator(dir / "points")) CHECK(entry.path().filename().string()[0] != '.');
  CHECK(lines(read(dir / "points.csv")) == 511);
  fs::remove_all(dir);
}

TEST_CASE("a chunked sweep killed mid-way and resumed equals the uninterrupted sweep") {
  const auto sweep = prepared(chunked_sweep);
  const fs::path whole = fresh_directory("chunked_whole"), killed = fresh_directory("chunked_killed");
  run(sweep, whole);
  run(sweep, killed);
  // The kill: the chunks in flight never got their files (removed here), one left its temporary file,
  // and the rest of the sweep never started.
  fs::copy_file(chunk_file_path(killed, 100, 510), killed / "points" / ".chunk_100.jsonl.tmp.999");
  for (const std::size_t first : {100u, 102u, 400u, 402u, 404u, 508u}) fs::remove(chunk_file_path(killed, first, 510));
  {
    std::ofstream half(killed / "points" / ".chunk_102.jsonl.tmp.998");
    half << read(chunk_file_path(whole, 102, 510)).substr(0, 100);
  }
  fs::remove(killed / "points.csv");
  const auto resumed = run(sweep, killed, true);
  CHECK(resumed.already_finished == 498);
  CHECK(resumed.ran == 12);
  CHECK(resumed.chunks_written == 6);
  CHECK(read(killed / "points.csv") == read(whole / "points.csv"));
  for (const auto& path : chunk_files(whole)) CHECK(read(path) == read(killed / "points" / path.filename()));
  for (const auto& entry : fs::directory_iterator(killed / "points")) CHECK(entry.path().filename().string()[0] != '.');
  fs::remove_all(whole);
  fs::remove_all(killed);
}

TEST_CASE("a chunk file holding part of its chunk is completed on resume") {
  const auto sweep = prepared(chunked_sweep);
  const fs::path whole = fresh_directory("partial_whole"), partial = fresh_directory("partial");
  run(sweep, whole);
  run(sweep, partial);
  // As merged from shards that did not all finish: chunk [10, 12) holds point 11 only.
  auto chunk = read_chunk_file(chunk_file_path(partial, 10, 510));
  chunk.entries.erase(chunk.entries.begin());
  chunk.header.points = 1;
  std::ofstream(chunk_file_path(partial, 10, 510)) << chunk_text(chunk);
  const auto resumed = run(sweep, partial, true);
  CHECK(resumed.already_finished == 509);
  CHECK(resumed.ran == 1);
  CHECK(read(chunk_file_path(partial, 10, 510)) == read(chunk_file_path(whole, 10, 510)));
  CHECK(read(partial / "points.csv") == read(whole / "points.csv"));
  fs::remove_all(whole);
  fs::remove_all(partial);
}

TEST_CASE("shards of a chunked sweep merge into the whole sweep's chunk files") {
  const auto sweep = prepared(chunked_sweep);
  const fs::path whole = fresh_directory("chunked_merge_whole"), split = fresh_directory("chunked_split");
  run(sweep, whole);
  const auto s0 = run(sweep, split, false, Shard{0, 3});
  const auto s1 = run(sweep, split, false, Shard{1, 3});
  const auto s2 = run(sweep, split, false, Shard{2, 3});
  CHECK(s0.ran + s1.ran + s2.ran == 510);
  CHECK(chunk_files(s0.directory).size() == 170);  // chunks of 2 hold a point of shard 0 in 2 of every 3
  merge_sweep_directories({s0.directory, s1.directory, s2.directory}, split / "merged");
  REQUIRE(chunk_files(split / "merged").size() == 255);
  for (const auto& path : chunk_files(whole)) CHECK(read(path) == read(split / "merged" / "points" / path.filename()));
  CHECK(read(split / "merged" / "points.csv") == read(whole / "points.csv"));
  fs::remove_all(whole);
  fs::remove_all(split);
}

TEST_CASE("a directory of the earlier one-file-per-point format is refused with a message saying so") {
  const auto sweep = prepared();
  const fs::path dir = fresh_directory("old_format");
  fs::create_directories(dir / "points");
  std::ofstream(dir / "sweep.json") << R"({"format": "cotdyn-sweep/1", "sweep_id": "x", "points": ["0123456789abcdef"]})";
  std::ofstream(dir / "points" / "0123456789abcdef.json") << "{}";
  CHECK_THROWS_WITH_AS(run(sweep, dir, true), doctest::Contains("earlier cotdyn, one file per point"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(read_points_table(dir), doctest::Contains("cotdyn-sweep/1"), std::invalid_argument);
  CHECK(fs::exists(dir / "points" / "0123456789abcdef.json"));
  // Old point files beside a sweep of this format are refused too, naming the file.
  fs::remove_all(dir);
  run(sweep, dir);
  std::ofstream(dir / "points" / "0123456789abcdef.json") << "{}";
  CHECK_THROWS_WITH_AS(run(sweep, dir, true), doctest::Contains("0123456789abcdef.json"), std::invalid_argument);
  fs::remove_all(dir);
}
