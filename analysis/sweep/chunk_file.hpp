#pragma once
// A chunk's results on disk (docs/sweeps.md, "Output"): DIR/points/chunk_<first>.jsonl, JSON Lines.
// The first line is the header,
//   {"format":"cotdyn-sweep-chunk/1","sweep_id":...,"first":F,"end":E,"points":N}
// (the chunk covers point indices [F, E); N lines follow), then one line per finished point, in point
// order:
//   {"point":i,"milestones":[...]}            milestones in the order of sweep.json's, NaN as null
// with "error" when the point failed, "trajectory" ({"columns":[...],"rows":[[...],...]}) when the sweep
// keeps trajectories, and "run" (how a simulation point ran). A point's config is the sweep's base with
// its axis values (sweep.json), so no line repeats it. These files are the source of truth of a sweep
// (points.csv is regenerated from them); each is written atomically, so a file that exists is complete.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <cotdyn/analysis/sweep/point_runner.hpp>

namespace cotdyn::sweep {

inline constexpr const char* chunk_format = "cotdyn-sweep-chunk/1";

struct PointEntry {
  std::size_t point = 0;
  std::vector<double> milestones;       // NaN where absent
  std::string error;                    // empty when the point ran
  nlohmann::json trajectory = nullptr;  // {"columns", "rows"}, or null when not kept
  nlohmann::json run = nullptr;         // how a simulation point ran, or null
};

// A point's entry from its runner's record, keeping the trajectory or not.
PointEntry point_entry(std::size_t point, const PointRecord& record, bool keep_trajectory);
// A point that failed (e.g. its ODE blew up): `milestone_count` NaN milestones and the error.
PointEntry failed_point_entry(std::size_t point, std::size_t milestone_count, const std::string& error);

struct ChunkHeader {
  std::string sweep_id;
  std::size_t first = 0, end = 0;  // the range of point indices the chunk covers
  std::size_t points = 0;          // entries in the file
};

struct ChunkFile {
  ChunkHeader header;
  std::vector<PointEntry> entries;  // increasing point index
};

// The file's text; `entries` must be sorted by point index, distinct, inside [first, end).
std::string chunk_text(const ChunkFile& chunk);
// Reads the header line only. Throws std::invalid_argument naming the file if it is not a chunk file.
ChunkHeader read_chunk_header(const std::filesystem::path& path);
// Reads the whole file; `trajectories = false` drops the trajectory and run entries (points.csv needs
// neither). Throws std::invalid_argument naming the file if it does not parse.
ChunkFile read_chunk_file(const std::filesystem::path& path, bool trajectories = true);
// Chunk texts one after another (how MPI ranks send theirs to rank 0); `origin` names them in errors.
std::vector<ChunkFile> parse_chunk_texts(const std::string& text, const std::string& origin);

// A JSON number / string / boolean as a CSV cell (NaN and null as an empty cell).
std::string csv_cell(const nlohmann::json& value);
double json_number(const nlohmann::json& value);  // null -> NaN

}  // namespace cotdyn::sweep
