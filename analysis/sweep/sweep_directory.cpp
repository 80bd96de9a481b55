#include <cotdyn/analysis/sweep/sweep_directory.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include <cotdyn/core/config.hpp>
#include <cotdyn/core/manifest.hpp>
#include <cotdyn/core/output.hpp>
#include <cotdyn/analysis/sweep/point_file.hpp>

namespace cotdyn::sweep {

namespace fs = std::filesystem;

namespace {
std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool is_temporary(const fs::path& path) {
  const std::string name = path.filename().string();
  return !name.empty() && name[0] == '.' && name.find(".tmp.") != std::string::npos;
}
}  // namespace

nlohmann::json read_sweep_json(const fs::path& directory) {
  const fs::path path = directory / "sweep.json";
  if (!fs::is_regular_file(path))
    throw std::invalid_argument(fmt::format("{}: not a sweep output directory (no sweep.json)", directory.string()));
  try {
    return nlohmann::json::parse(read_text(path));
  } catch (const nlohmann::json::parse_error& e) {
    throw std::invalid_argument(fmt::format("{}: does not parse: {}", path.string(), e.what()));
  }
}

std::size_t remove_temporary_files(const fs::path& directory) {
  std::size_t removed = 0;
  for (const fs::path& dir : {directory, directory / "points"}) {
    if (!fs::is_directory(dir)) continue;
    for (const auto& entry : fs::directory_iterator(dir))
      if (entry.is_regular_file() && is_temporary(entry.path()) && fs::remove(entry.path())) ++removed;
  }
  return removed;
}

void prepare_sweep_directory(const fs::path& directory, const nlohmann::json& sweep_json, bool resume) {
  if (fs::exists(directory / "sweep.json")) {
    const auto existing = read_sweep_json(directory);
    if (!resume)
      throw std::invalid_argument(fmt::format(
          "--out {}: already holds a sweep (id {}); pass --resume to continue it, or choose another --out",
          directory.string(), existing.value("sweep_id", "?")));
    if (existing.value("sweep_id", "") != sweep_json["sweep_id"] || existing.value("shard", nlohmann::json()) !=
                                                                         sweep_json.value("shard", nlohmann::json()))
      throw std::invalid_argument(fmt::format(
          "--resume: {} holds sweep {} ({}), not this sweep {} ({}): the kind, axes, base config or shard differ",
          directory.string(), existing.value("sweep_id", "?"), existing.value("shard", nlohmann::json()).dump(),
          sweep_json["sweep_id"].get<std::string>(), sweep_json.value("shard", nlohmann::json()).dump()));
    remove_temporary_files(directory);
    return;
  }
  std::error_code error;
  fs::create_directories(directory / "points", error);
  if (error) throw std::invalid_argument(fmt::format("--out {}: cannot create it ({})", directory.string(), error.message()));
  remove_temporary_files(directory);
  core::write_file_atomically(directory / "sweep.json", sweep_json.dump(1) + "\n");
}

std::set<std::string> finished_point_hashes(const fs::path& directory) {
  std::set<std::string> hashes;
  if (!fs::is_directory(directory / "points")) return hashes;
  for (const auto& entry : fs::directory_iterator(directory / "points")) {
    const auto& path = entry.path();
    if (entry.is_regular_file() && !is_temporary(path) && path.extension() == ".json")
      hashes.insert(path.stem().string());
  }
  return hashes;
}

PointsTable read_points_table(const fs::path& directory) {
  const auto sweep = read_sweep_json(directory);
  PointsTable table;
  for (const auto& axis : sweep["plan"]["axes"]) {
    table.axis_keys.push_back(axis["key"]);
    table.axis_scales.push_back(axis["scale"]);
    table.axis_values.push_back(axis["values"].get<std::vector<nlohmann::json>>());
  }
  table.combine = sweep["plan"].value("combine", "product");
  table.milestone_names = sweep["milestones"].get<std::vector<std::string>>();
  const auto hashes = sweep["points"].get<std::vector<std::string>>();
  table.point_count = hashes.size();
  const auto finished = finished_point_hashes(directory);
  const std::string sweep_id = sweep["sweep_id"];
  for (std::size_t i = 0; i < hashes.size(); ++i) {
    if (!finished.count(hashes[i])) continue;
    const auto point = read_point_file(point_file_path(directory, hashes[i]));
    if (!point) continue;
    if (point->value("sweep_id", "") != sweep_id)
      throw std::invalid_argument(fmt::format("{}: belongs to sweep {}, not {}",
                                              point_file_path(directory, hashes[i]).string(),
                                              point->value("sweep_id", "?"), sweep_id));
    PointsTable::Row row;
    row.point = i;
    for (const auto& key : table.axis_keys) row.axis_values.push_back((*point)["axes"].at(key));
    for (const auto& name : table.milestone_names) row.milestones.push_back(json_number((*point)["milestones"].at(name)));
    row.file = hashes[i];
    row.error = point->value("error", "");
    table.rows.push_back(std::move(row));
  }
  return table;
}

PointsTable regenerate_points_csv(const fs::path& directory) {
  PointsTable table = read_points_table(directory);
  std::vector<std::string> columns = table.axis_keys;
  columns.insert(columns.end(), table.milestone_names.begin(), table.milestone_names.end());
  columns.push_back("point_file");
  columns.push_back("error");
  core::CsvTable csv(columns);
  for (const auto& row : table.rows) {
    std::vector<std::string> cells;
    for (const auto& v : row.axis_values) cells.push_back(csv_cell(v));
    for (double v : row.milestones) cells.push_back(core::csv_number(v));
    cells.push_back("points/" + row.file + ".json");
    cells.push_back(csv_cell(row.error));
    csv.add_row(cells);
  }
  csv.write(directory / "points.csv");
  return table;
}

PointsTable merge_sweep_directories(const std::vector<fs::path>& shards, const fs::path& out) {
  if (shards.empty()) throw std::invalid_argument("sweep merge: give the shard directories to merge");
  // Check everything before writing anything.
  nlohmann::json first = read_sweep_json(shards.front());
  const std::string sweep_id = first.value("sweep_id", "");
  for (const auto& shard : shards) {
    const auto sweep = read_sweep_json(shard);
    if (sweep.value("sweep_id", "") != sweep_id)
      throw std::invalid_argument(fmt::format(
          "sweep merge: {} holds sweep {} but {} holds sweep {}: only shards of one sweep can be merged",
          shards.front().string(), sweep_id, shard.string(), sweep.value("sweep_id", "?")));
  }
  nlohmann::json merged = first;
  merged.erase("shard");
  if (fs::exists(out / "sweep.json")) {
    const auto existing = read_sweep_json(out);
    if (existing.value("sweep_id", "") != sweep_id)
      throw std::invalid_argument(fmt::format("sweep merge --out {}: holds sweep {}, not {}", out.string(),
                                              existing.value("sweep_id", "?"), sweep_id));
  }
  std::vector<std::pair<fs::path, std::string>> files;  // source, hash
  for (const auto& shard : shards) {
    for (const auto& hash : finished_point_hashes(shard)) {
      const auto point = read_point_file(point_file_path(shard, hash));
      if (point && point->value("sweep_id", "") != sweep_id)
        throw std::invalid_argument(fmt::format("sweep merge: {} belongs to sweep {}, not {}",
                                                point_file_path(shard, hash).string(), point->value("sweep_id", "?"),
                                                sweep_id));
      files.emplace_back(point_file_path(shard, hash), hash);
    }
  }

  std::error_code error;
  fs::create_directories(out / "points", error);
  if (error) throw std::invalid_argument(fmt::format("sweep merge --out {}: cannot create it ({})", out.string(), error.message()));
  remove_temporary_files(out);
  for (const auto& [source, hash] : files) {
    const auto target = point_file_path(out, hash);
    if (fs::exists(target) && fs::equivalent(source, target)) continue;
    core::write_file_atomically(target, read_text(source));
  }
  core::write_file_atomically(out / "sweep.json", merged.dump(1) + "\n");
  PointsTable table = regenerate_points_csv(out);

  core::Manifest manifest("sweep merge", core::Config());
  manifest.json()["config"] = merged["plan"]["base"];
  manifest.json()["seed"] = merged["plan"]["base"]["train"]["seed"];
  manifest.results() = {{"sweep_id", sweep_id},
                        {"shards", shards.size()},
                        {"points", table.point_count},
                        {"finished_points", table.rows.size()}};
  manifest.write(out);
  return table;
}

}  // namespace cotdyn::sweep
