#pragma once
// How a sweep's points are grouped into files (docs/sweeps.md, "Chunks"). Chunk c covers the point
// indices [c S, (c + 1) S) of the whole sweep, S = chunk_size(kind, points); a directory's file of
// chunk c holds the points of that range that belong to its shard. A chunk is the unit of writing and
// of resuming: its file is written atomically once all its points are done.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include <cotdyn/analysis/sweep/shard.hpp>
#include <cotdyn/analysis/sweep/sweep_plan.hpp>

namespace cotdyn::sweep {

// A theory sweep of any size has at most this many chunks.
inline constexpr std::size_t max_chunk_files = 500;

// Points per chunk: 1 for simulate and compare points (seconds to minutes each, so a kill loses one
// point), and ceil(points / max_chunk_files) for theory points (about a millisecond each): a sweep of
// up to 500 points keeps one point per file and resumes point by point, a sweep of 10^6 points has 500
// files of 2000 points. This is the one place that decides the chunk size.
std::size_t chunk_size(SweepKind kind, std::size_t points);

struct Chunk {
  std::size_t first = 0;            // the range [first, end) of point indices
  std::size_t end = 0;
  std::vector<std::size_t> points;  // the range's points in the shard, increasing
};

// The chunks of `shard` that hold at least one of its points, in order.
std::vector<Chunk> shard_chunks(std::size_t points, std::size_t chunk_size, const Shard& shard);

// points/chunk_<first>.jsonl, <first> zero-padded to the digits of the largest point index, so that
// the files sort in point order.
std::string chunk_file_name(std::size_t first, std::size_t points);
std::filesystem::path chunk_file_path(const std::filesystem::path& sweep_directory, std::size_t first,
                                      std::size_t points);

}  // namespace cotdyn::sweep
