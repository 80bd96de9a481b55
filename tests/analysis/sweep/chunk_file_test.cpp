// Chunk files: the text written, read back whole or by its header, and refused when cut short.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>

#include <cotdyn/analysis/sweep/chunk_file.hpp>

using namespace cotdyn::sweep;
namespace fs = std::filesystem;

namespace {
ChunkFile two_points() {
  ChunkFile chunk;
  chunk.header = {"abc123", 10, 14, 2};
  PointRecord record;
  record.milestones = {1.5, std::numeric_limits<double>::quiet_NaN(), 3.0};
  record.trajectory_columns = {"t", "M"};
  record.trajectory = {{0.0, 0.0}, {1.0, 0.25}};
  chunk.entries.push_back(point_entry(11, record, /*keep_trajectory=*/true));
  chunk.entries.push_back(failed_point_entry(13, 3, "theory: the ODE solution became non-finite"));
  return chunk;
}

fs::path write(const std::string& name, const std::string& text) {
  const fs::path path = fs::temp_directory_path() / ("cotdyn_test_chunk_file_" + name);
  std::ofstream(path) << text;
  return path;
}
}  // namespace

TEST_CASE("a chunk file is a header line and one line per point, NaN as null") {
  const std::string text = chunk_text(two_points());
  CHECK(text.rfind("{\"format\":\"cotdyn-sweep-chunk/1\",\"sweep_id\":\"abc123\",\"first\":10,\"end\":14,\"points\":2}\n", 0) == 0);
  CHECK(text.find("\n{\"point\":11,\"milestones\":[1.5,null,3],\"trajectory\":{\"columns\":[\"t\",\"M\"],\"rows\":[[0.0,0.0],[1.0,0.25]]}}\n") != std::string::npos);
  CHECK(text.find("\n{\"point\":13,\"milestones\":[null,null,null],\"error\":\"theory: the ODE solution became non-finite\"}\n") != std::string::npos);
  CHECK(std::count(text.begin(), text.end(), '\n') == 3);
}

TEST_CASE("a chunk file reads back as written, with or without its trajectories") {
  const fs::path path = write("roundtrip.jsonl", chunk_text(two_points()));
  const ChunkFile read = read_chunk_file(path);
  CHECK(read.header.sweep_id == "abc123");
  CHECK(read.header.first == 10);
  CHECK(read.header.end == 14);
  REQUIRE(read.entries.size() == 2);
  CHECK(read.entries[0].point == 11);
  CHECK(read.entries[0].milestones[0] == 1.5);
  CHECK(std::isnan(read.entries[0].milestones[1]));
  CHECK(read.entries[0].trajectory["rows"][1][1] == 0.25);
  CHECK(read.entries[1].error == "theory: the ODE solution became non-finite");
  CHECK(chunk_text(read) == chunk_text(two_points()));
  CHECK(read_chunk_file(path, /*trajectories=*/false).entries[0].trajectory.is_null());
  CHECK(read_chunk_header(path).points == 2);
  fs::remove(path);
}

TEST_CASE("a chunk file cut short, out of order or not a chunk file is refused, naming the file") {
  const std::string text = chunk_text(two_points());
  const fs::path cut = write("cut.jsonl", text.substr(0, text.rfind("{\"point\":13")));
  CHECK_THROWS_WITH_AS(read_chunk_file(cut), doctest::Contains("cotdyn_test_chunk_file_cut.jsonl"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(read_chunk_file(cut), doctest::Contains("announces 2 points"), std::invalid_argument);
  const fs::path half_line = write("half.jsonl", text.substr(0, text.size() - 10));
  CHECK_THROWS_WITH_AS(read_chunk_file(half_line), doctest::Contains("does not parse"), std::invalid_argument);
  ChunkFile swapped = two_points();
  std::swap(swapped.entries[0], swapped.entries[1]);
  const fs::path disordered = write("order.jsonl", chunk_text(swapped));
  CHECK_THROWS_WITH_AS(read_chunk_file(disordered), doctest::Contains("out of order"), std::invalid_argument);
  const fs::path other = write("other.jsonl", "{\"format\":\"cotdyn-sweep-point/1\"}\n");
  CHECK_THROWS_WITH_AS(read_chunk_header(other), doctest::Contains("not a sweep chunk file"), std::invalid_argument);
  for (const auto& path : {cut, half_line, disordered, other}) fs::remove(path);
}

TEST_CASE("chunk texts one after another parse as separate chunks") {
  ChunkFile second;
  second.header = {"abc123", 0, 2, 1};
  second.entries.push_back(failed_point_entry(1, 3, "x"));
  const auto chunks = parse_chunk_texts(chunk_text(two_points()) + chunk_text(second), "test");
  REQUIRE(chunks.size() == 2);
  CHECK(chunks[0].entries.size() == 2);
  CHECK(chunks[1].header.first == 0);
  CHECK(chunks[1].entries[0].error == "x");
  CHECK(parse_chunk_texts("", "test").empty());
}
