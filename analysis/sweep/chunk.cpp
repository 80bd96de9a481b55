#include <cotdyn/analysis/sweep/chunk.hpp>

#include <algorithm>

#include <fmt/format.h>

namespace cotdyn::sweep {

std::size_t chunk_size(SweepKind kind, std::size_t points) {
  if (kind != SweepKind::theory) return 1;
  return std::max<std::size_t>(1, (points + max_chunk_files - 1) / max_chunk_files);
}

std::vector<Chunk> shard_chunks(std::size_t points, std::size_t chunk_size, const Shard& shard) {
  std::vector<Chunk> chunks;
  if (chunk_size == 0) return chunks;
  for (std::size_t first = 0; first < points; first += chunk_size) {
    Chunk chunk;
    chunk.first = first;
    chunk.end = std::min(points, first + chunk_size);
    // The shard's points in the range: first index >= `first` with index % count == shard.index.
    std::size_t i = first + (shard.index + shard.count - first % shard.count) % shard.count;
    for (; i < chunk.end; i += shard.count) chunk.points.push_back(i);
    if (!chunk.points.empty()) chunks.push_back(std::move(chunk));
  }
  return chunks;
}

std::string chunk_file_name(std::size_t first, std::size_t points) {
  const std::size_t width = fmt::formatted_size("{}", points > 0 ? points - 1 : 0);
  return fmt::format("chunk_{:0{}}.jsonl", first, width);
}

std::filesystem::path chunk_file_path(const std::filesystem::path& sweep_directory, std::size_t first,
                                      std::size_t points) {
  return sweep_directory / "points" / chunk_file_name(first, points);
}

}  // namespace cotdyn::sweep
