// The chunk-size rule and the chunks of a shard (docs/sweeps.md, "Chunks").
#include <doctest/doctest.h>

#include <cotdyn/analysis/sweep/chunk.hpp>

using namespace cotdyn::sweep;

TEST_CASE("theory chunks: one point each up to 500 points, then at most 500 files") {
  CHECK(chunk_size(SweepKind::theory, 0) == 1);
  CHECK(chunk_size(SweepKind::theory, 1) == 1);
  CHECK(chunk_size(SweepKind::theory, 500) == 1);
  CHECK(chunk_size(SweepKind::theory, 501) == 2);
  CHECK(chunk_size(SweepKind::theory, 10000) == 20);
  CHECK(chunk_size(SweepKind::theory, 1000000) == 2000);
  CHECK(chunk_size(SweepKind::theory, 1000001) == 2001);
  for (std::size_t points : {1u, 7u, 499u, 500u, 501u, 999u, 1001u, 12345u, 1000000u, 1000001u}) {
    CAPTURE(points);
    const std::size_t files = shard_chunks(points, chunk_size(SweepKind::theory, points), Shard{}).size();
    CHECK(files <= max_chunk_files);
    CHECK(files >= std::min<std::size_t>(points, max_chunk_files / 2));
  }
}

TEST_CASE("simulate and compare points are chunks of one at any size") {
  CHECK(chunk_size(SweepKind::simulate, 1000000) == 1);
  CHECK(chunk_size(SweepKind::compare, 3) == 1);
}

TEST_CASE("a chunk covers a range of point indices and holds the shard's points in it") {
  const auto whole = shard_chunks(7, 3, Shard{});
  REQUIRE(whole.size() == 3);
  CHECK(whole[0].first == 0);
  CHECK(whole[0].end == 3);
  CHECK(whole[0].points == std::vector<std::size_t>{0, 1, 2});
  CHECK(whole[2].first == 6);
  CHECK(whole[2].end == 7);
  CHECK(whole[2].points == std::vector<std::size_t>{6});

  // Shard 1/2 holds the odd points: none in [6, 7), so that chunk has no file in its directory.
  const auto odd = shard_chunks(7, 3, Shard{1, 2});
  REQUIRE(odd.size() == 2);
  CHECK(odd[0].first == 0);
  CHECK(odd[0].points == std::vector<std::size_t>{1});
  CHECK(odd[1].first == 3);
  CHECK(odd[1].points == std::vector<std::size_t>{3, 5});
  const auto third = shard_chunks(10, 4, Shard{2, 3});
  REQUIRE(third.size() == 3);
  CHECK(third[0].points == std::vector<std::size_t>{2});
  CHECK(third[1].points == std::vector<std::size_t>{5});
  CHECK(third[2].points == std::vector<std::size_t>{8});
}

TEST_CASE("chunk file names sort in point order") {
  CHECK(chunk_file_name(0, 6) == "chunk_0.jsonl");
  CHECK(chunk_file_name(0, 1000000) == "chunk_000000.jsonl");
  CHECK(chunk_file_name(998000, 1000000) == "chunk_998000.jsonl");
  CHECK(chunk_file_name(20, 10001) == "chunk_00020.jsonl");
  CHECK(chunk_file_path("out", 2, 6) == std::filesystem::path("out") / "points" / "chunk_2.jsonl");
}
