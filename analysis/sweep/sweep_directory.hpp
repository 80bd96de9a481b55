#pragma once
// A sweep's output directory:
//   DIR/sweep.json        the plan, its id, the milestone names and every point's file hash, in order
//   DIR/points/<hash>.json one file per finished point (the source of truth)
//   DIR/points.csv        one row per finished point, regenerated from the point files
//   DIR/manifest.json     as for every cotdyn output
#include <filesystem>
#include <set>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cotdyn::sweep {

// Creates DIR for a new sweep, or checks that it holds the same sweep when resuming, and removes the
// temporary files a killed run left. Throws std::invalid_argument (nothing written) when DIR holds a
// sweep and `resume` is false, or holds a different sweep.
void prepare_sweep_directory(const std::filesystem::path& directory, const nlohmann::json& sweep_json, bool resume);

nlohmann::json read_sweep_json(const std::filesystem::path& directory);

// Removes leftovers of interrupted atomic writes (".NAME.tmp.PID") in DIR and DIR/points.
std::size_t remove_temporary_files(const std::filesystem::path& directory);

// The hashes of the point files present in DIR/points.
std::set<std::string> finished_point_hashes(const std::filesystem::path& directory);

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
    std::string file;
    std::string error;
  };
  std::vector<Row> rows;       // finished points, in point order
  std::size_t point_count = 0;  // points of the whole sweep
};

// Reads sweep.json and every point file; throws if a point file belongs to another sweep.
PointsTable read_points_table(const std::filesystem::path& directory);
// Writes DIR/points.csv atomically from the point files and returns the table.
PointsTable regenerate_points_csv(const std::filesystem::path& directory);

// Joins the point files of shard directories into `out` (same sweep required) and writes points.csv
// and manifest.json there. Throws std::invalid_argument, writing nothing, if the inputs are not shards
// of one sweep.
PointsTable merge_sweep_directories(const std::vector<std::filesystem::path>& shards, const std::filesystem::path& out);

}  // namespace cotdyn::sweep
