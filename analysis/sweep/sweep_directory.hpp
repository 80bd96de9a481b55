#pragma once
// A sweep's output directory:
//   DIR/sweep.json                 the plan, its id, the milestone names, the point count and chunk size
//   DIR/points/chunk_<first>.jsonl one file per finished chunk (the source of truth; chunk_file.hpp)
//   DIR/points.csv                 one row per finished point, regenerated from the chunk files
//   DIR/manifest.json              as for every cotdyn output
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <cotdyn/analysis/sweep/chunk_file.hpp>
#include <cotdyn/analysis/sweep/shard.hpp>

namespace cotdyn::sweep {

// The format of sweep.json. Directories of format cotdyn-sweep/1 (one file per point, named by a
// hash of its config) are refused by every reader with a message saying so.
inline constexpr const char* sweep_format = "cotdyn-sweep/2";

// Creates DIR for a new sweep, or checks that it holds the same sweep when resuming, and removes the
// temporary files a killed run left. Throws std::invalid_argument (nothing written) when DIR holds a
// sweep and `resume` is false, or holds a different sweep (id, shard or chunk size).
void prepare_sweep_directory(const std::filesystem::path& directory, const nlohmann::json& sweep_json, bool resume);

// DIR/sweep.json; throws std::invalid_argument if it is missing, does not parse or has another format.
nlohmann::json read_sweep_json(const std::filesystem::path& directory);

// Removes leftovers of interrupted atomic writes (".NAME.tmp.PID") in DIR and DIR/points.
std::size_t remove_temporary_files(const std::filesystem::path& directory);

// The chunk files in DIR/points, in point order. Throws std::invalid_argument if DIR/points holds a
// point file of the earlier format (<hash>.json).
std::vector<std::filesystem::path> chunk_files(const std::filesystem::path& directory);

// Which of the sweep's `point_count` points have an entry in DIR's chunk files (indexed by point). A
// chunk file whose header counts every point of its range in `shard` is complete and is not read
// further; any other is read whole.
std::vector<bool> finished_points(const std::filesystem::path& directory, std::size_t point_count, const Shard& shard);

// Writes the file of the chunk [first, end) atomically with `entries`, joined with the entries of the
// chunk's file if one exists (a resumed chunk that was partly finished, e.g. from merged shards).
void write_chunk_file(const std::filesystem::path& directory, const std::string& sweep_id, std::size_t point_count,
                      std::size_t first, std::size_t end, std::vector<PointEntry> entries);

// points.csv in memory: axis columns, then milestones, then point_file and error.
struct PointsTable {
  std::vector<std::string> axis_keys;
  std::vector<std::string> axis_scales;  // "values", "linear", "log"
  std::vector<std::vector<nlohmann::json>> axis_values;  // each axis' values, in sweep order
  std::string combine;                   // "product" or "zip"
  std::vector<std::string> milestone_names;
  struct Row {
    std::size_t point;
    std::vector<nlohmann::json> axis_values;
    std::vector<double> milestones;
    std::string file;  // the chunk file's name in DIR/points
    std::string error;
  };
  std::vector<Row> rows;       // finished points, in point order
  std::size_t point_count = 0;  // points of the whole sweep
};

// Reads sweep.json and every chunk file; throws if a chunk file belongs to another sweep.
PointsTable read_points_table(const std::filesystem::path& directory);
// Writes DIR/points.csv atomically from the chunk files and returns the table.
PointsTable regenerate_points_csv(const std::filesystem::path& directory);

// Joins the chunk files of shard directories into `out` (same sweep required; the files of one chunk
// in several shards become one file with all their points) and writes points.csv and manifest.json
// there. Throws std::invalid_argument, writing nothing, if the inputs are not shards of one sweep.
PointsTable merge_sweep_directories(const std::vector<std::filesystem::path>& shards, const std::filesystem::path& out);

}  // namespace cotdyn::sweep
