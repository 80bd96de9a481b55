#include <cotdyn/analysis/sweep/sweep_directory.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include <cotdyn/core/config.hpp>
#include <cotdyn/core/manifest.hpp>
#include <cotdyn/core/output.hpp>
#include <cotdyn/analysis/sweep/chunk.hpp>
#include <cotdyn/analysis/sweep/sweep_plan.hpp>

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
  nlohmann::json sweep;
  try {
    sweep = nlohmann::json::parse(read_text(path));
  } catch (const nlohmann::json::parse_error& e) {
    throw std::invalid_argument(fmt::format("{}: does not parse: {}", path.string(), e.what()));
  }
  const std::string format = sweep.value("format", "");
  if (format == "cotdyn-sweep/1")
    throw std::invalid_argument(fmt::format(
        "{}: a sweep written by an earlier cotdyn, one file per point (format cotdyn-sweep/1); this cotdyn writes "
        "and reads points in chunk files ({}), so it neither resumes, merges nor plots it: its points.csv is "
        "complete as it is, or rerun the sweep into a new --out",
        directory.string(), sweep_format));
  if (format != sweep_format)
    throw std::invalid_argument(
        fmt::format("{}: format {} is not a sweep's ({})", path.string(), format.empty() ? "(none)" : format, sweep_format));
  return sweep;
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
          "--resume: {} holds sweep {} ({}), not this sweep {} ({}): the kind, axes, base config, trajectories or "
          "shard differ",
          directory.string(), existing.value("sweep_id", "?"), existing.value("shard", nlohmann::json()).dump(),
          sweep_json["sweep_id"].get<std::string>(), sweep_json.value("shard", nlohmann::json()).dump()));
    if (existing.value("chunk_size", nlohmann::json()) != sweep_json["chunk_size"])
      throw std::invalid_argument(fmt::format(
          "--resume: {} holds this sweep in chunks of {} points, but this cotdyn makes chunks of {}: finish it with "
          "the cotdyn that started it, or rerun it into a new --out",
          directory.string(), existing.value("chunk_size", nlohmann::json()).dump(), sweep_json["chunk_size"].dump()));
    chunk_files(directory);  // refuses old point files before anything is removed
    remove_temporary_files(directory);
    return;
  }
  std::error_code error;
  fs::create_directories(directory / "points", error);
  if (error) throw std::invalid_argument(fmt::format("--out {}: cannot create it ({})", directory.string(), error.message()));
  remove_temporary_files(directory);
  core::write_file_atomically(directory / "sweep.json", sweep_json.dump(1) + "\n");
}

std::vector<fs::path> chunk_files(const fs::path& directory) {
  std::vector<fs::path> files;
  if (!fs::is_directory(directory / "points")) return files;
  for (const auto& entry : fs::directory_iterator(directory / "points")) {
    const auto& path = entry.path();
    if (!entry.is_regular_file() || is_temporary(path)) continue;
    const std::string name = path.filename().string();
    if (name.rfind("chunk_", 0) == 0 && path.extension() == ".jsonl")
      files.push_back(path);
    else if (path.extension() == ".json")
      throw std::invalid_argument(fmt::format(
          "{}: a point file of an earlier cotdyn (one file per point); this cotdyn keeps points in chunk files "
          "(points/chunk_<first>.jsonl) and does not mix the two: rerun the sweep into a new --out",
          path.string()));
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<bool> finished_points(const fs::path& directory, std::size_t point_count, const Shard& shard) {
  std::vector<bool> finished(point_count, false);
  for (const auto& path : chunk_files(directory)) {
    const ChunkHeader header = read_chunk_header(path);
    if (header.first >= header.end || header.end > point_count)
      throw std::invalid_argument(fmt::format("{}: covers points [{}, {}) of a sweep of {} points", path.string(),
                                              header.first, header.end, point_count));
    std::size_t in_shard = 0;
    for (std::size_t i = header.first; i < header.end; ++i) in_shard += shard.contains(i) ? 1 : 0;
    if (header.points == in_shard) {
      for (std::size_t i = header.first; i < header.end; ++i)
        if (shard.contains(i)) finished[i] = true;
    } else {
      for (const auto& entry : read_chunk_file(path, /*trajectories=*/false).entries) finished[entry.point] = true;
    }
  }
  return finished;
}

void write_chunk_file(const fs::path& directory, const std::string& sweep_id, std::size_t point_count,
                      std::size_t first, std::size_t end, std::vector<PointEntry> entries) {
  const fs::path path = chunk_file_path(directory, first, point_count);
  if (fs::exists(path)) {
    ChunkFile existing = read_chunk_file(path);
    std::set<std::size_t> ran;
    for (const auto& entry : entries) ran.insert(entry.point);
    for (auto& entry : existing.entries)
      if (!ran.count(entry.point)) entries.push_back(std::move(entry));
  }
  std::sort(entries.begin(), entries.end(), [](const PointEntry& a, const PointEntry& b) { return a.point < b.point; });
  ChunkFile chunk;
  chunk.header = {sweep_id, first, end, entries.size()};
  chunk.entries = std::move(entries);
  core::write_file_atomically(path, chunk_text(chunk));
}

PointsTable read_points_table(const fs::path& directory) {
  const auto sweep = read_sweep_json(directory);
  PointsTable table;
  std::vector<std::size_t> axis_sizes;
  for (const auto& axis : sweep["plan"]["axes"]) {
    table.axis_keys.push_back(axis["key"]);
    table.axis_scales.push_back(axis["scale"]);
    table.axis_values.push_back(axis["values"].get<std::vector<nlohmann::json>>());
    axis_sizes.push_back(table.axis_values.back().size());
  }
  table.combine = sweep["plan"].value("combine", "product");
  const Combine combine = table.combine == "zip" ? Combine::zip : Combine::product;
  table.milestone_names = sweep["milestones"].get<std::vector<std::string>>();
  table.point_count = sweep.at("point_count").get<std::size_t>();
  const std::string sweep_id = sweep["sweep_id"];
  for (const auto& path : chunk_files(directory)) {
    ChunkFile chunk = read_chunk_file(path, /*trajectories=*/false);
    if (chunk.header.sweep_id != sweep_id)
      throw std::invalid_argument(
          fmt::format("{}: belongs to sweep {}, not {}", path.string(), chunk.header.sweep_id, sweep_id));
    const std::string file = path.filename().string();
    for (auto& entry : chunk.entries) {
      if (entry.point >= table.point_count || entry.milestones.size() != table.milestone_names.size())
        throw std::invalid_argument(fmt::format("{}: point {} does not fit sweep {} ({} points, {} milestones)",
                                                path.string(), entry.point, sweep_id, table.point_count,
                                                table.milestone_names.size()));
      PointsTable::Row row;
      row.point = entry.point;
      const auto indices = value_indices(combine, axis_sizes, entry.point);
      for (std::size_t k = 0; k < indices.size(); ++k) row.axis_values.push_back(table.axis_values[k][indices[k]]);
      row.milestones = std::move(entry.milestones);
      row.file = file;
      row.error = std::move(entry.error);
      table.rows.push_back(std::move(row));
    }
  }
  // Files sort by their first point and hold their points in order; the table is in point order.
  std::stable_sort(table.rows.begin(), table.rows.end(),
                   [](const PointsTable::Row& a, const PointsTable::Row& b) { return a.point < b.point; });
  return table;
}

PointsTable regenerate_points_csv(const fs::path& directory) {
  PointsTable table = read_points_table(directory);
  std::vector<std::string> columns = table.axis_keys;
  columns.insert(columns.end(), table.milestone_names.begin(), table.milestone_names.end());
  columns.push_back("point_file");
  columns.push_back("error");
  // Each axis value's cell once, not once per point.
  std::vector<std::vector<std::string>> axis_cells(table.axis_values.size());
  for (std::size_t k = 0; k < table.axis_values.size(); ++k)
    for (const auto& v : table.axis_values[k]) axis_cells[k].push_back(csv_cell(v));
  std::vector<std::size_t> axis_sizes;
  for (const auto& values : table.axis_values) axis_sizes.push_back(values.size());
  const Combine combine = table.combine == "zip" ? Combine::zip : Combine::product;
  core::CsvTable csv(columns);
  std::vector<std::string> cells;
  for (const auto& row : table.rows) {
    cells.clear();
    const auto indices = value_indices(combine, axis_sizes, row.point);
    for (std::size_t k = 0; k < indices.size(); ++k) cells.push_back(axis_cells[k][indices[k]]);
    for (double v : row.milestones) cells.push_back(core::csv_number(v));
    cells.push_back("points/" + row.file);
    cells.push_back(csv_cell(row.error));
    csv.add_row(cells);
  }
  csv.write(directory / "points.csv");
  return table;
}

PointsTable merge_sweep_directories(const std::vector<fs::path>& shards, const fs::path& out) {
  if (shards.empty()) throw std::invalid_argument("sweep merge: give the shard directories to merge");
  // Check and read everything before writing anything.
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
  const std::size_t point_count = merged.at("point_count").get<std::size_t>();
  // The chunks by their first point: every shard's entries of that chunk, the first copy of a point kept.
  std::map<std::size_t, ChunkFile> chunks;
  for (const auto& shard : shards) {
    for (const auto& path : chunk_files(shard)) {
      ChunkFile chunk = read_chunk_file(path);
      if (chunk.header.sweep_id != sweep_id)
        throw std::invalid_argument(fmt::format("sweep merge: {} belongs to sweep {}, not {}", path.string(),
                                                chunk.header.sweep_id, sweep_id));
      auto [it, inserted] = chunks.try_emplace(chunk.header.first, ChunkFile{chunk.header, {}});
      if (it->second.header.end != chunk.header.end)
        throw std::invalid_argument(fmt::format("sweep merge: {} covers points [{}, {}), another shard's file of "
                                                "that chunk [{}, {})",
                                                path.string(), chunk.header.first, chunk.header.end,
                                                it->second.header.first, it->second.header.end));
      for (auto& entry : chunk.entries) it->second.entries.push_back(std::move(entry));
    }
  }

  std::error_code error;
  fs::create_directories(out / "points", error);
  if (error) throw std::invalid_argument(fmt::format("sweep merge --out {}: cannot create it ({})", out.string(), error.message()));
  remove_temporary_files(out);
  for (auto& [first_point, chunk] : chunks) {
    auto& entries = chunk.entries;
    std::stable_sort(entries.begin(), entries.end(),
                     [](const PointEntry& a, const PointEntry& b) { return a.point < b.point; });
    entries.erase(std::unique(entries.begin(), entries.end(),
                              [](const PointEntry& a, const PointEntry& b) { return a.point == b.point; }),
                  entries.end());
    write_chunk_file(out, sweep_id, point_count, chunk.header.first, chunk.header.end, std::move(entries));
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
