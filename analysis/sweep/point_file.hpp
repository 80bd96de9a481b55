#pragma once
// One point's results on disk: DIR/points/<hash>.json, where <hash> is the hash of the point's kind
// and resolved config. These files are the source of truth of a sweep (points.csv is regenerated
// from them); each is written atomically, so a file that exists is complete.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <cotdyn/core/config.hpp>
#include <cotdyn/analysis/sweep/point_runner.hpp>
#include <cotdyn/analysis/sweep/sweep_plan.hpp>

namespace cotdyn::sweep {

// The name of a point's file: content_hash of its kind and resolved config.
std::string point_hash(SweepKind kind, const core::Config& config);

std::filesystem::path point_file_path(const std::filesystem::path& sweep_directory, const std::string& hash);

// The point's file contents: sweep id, hash, axis values, milestones (NaN as null), trajectory, how it
// ran (`run`: simulation points), config.
// A point that failed has `error` set and no milestones.
nlohmann::json point_json(const SweepPlan& plan, const std::string& sweep_id, std::size_t point,
                          const std::string& hash, const core::Config& config,
                          const std::vector<std::string>& milestone_names, const PointRecord* record,
                          const std::string& error = "");

// Parses a point file; nothing if it is missing. Throws std::runtime_error if it does not parse.
std::optional<nlohmann::json> read_point_file(const std::filesystem::path& path);

// A JSON number / string / boolean as a CSV cell (NaN and null as an empty cell).
std::string csv_cell(const nlohmann::json& value);
double json_number(const nlohmann::json& value);  // null -> NaN

}  // namespace cotdyn::sweep
