#include <cotdyn/analysis/sweep/chunk_file.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include <cotdyn/core/output.hpp>
#include <cotdyn/analysis/sweep/sweep_plan.hpp>

namespace cotdyn::sweep {

namespace {
nlohmann::json number_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

[[noreturn]] void bad_file(const std::filesystem::path& path, const std::string& why) {
  throw std::invalid_argument(fmt::format("{}: not a sweep chunk file ({}); remove it and resume the sweep to "
                                          "run its points again",
                                          path.string(), why));
}

ChunkHeader parse_header(const std::filesystem::path& path, const std::string& line) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(line);
  } catch (const nlohmann::json::parse_error& e) {
    bad_file(path, fmt::format("its first line does not parse: {}", e.what()));
  }
  if (!j.is_object() || j.value("format", "") != chunk_format)
    bad_file(path, fmt::format("its first line is not a header of format {}", chunk_format));
  ChunkHeader header;
  try {
    header.sweep_id = j.at("sweep_id").get<std::string>();
    header.first = j.at("first").get<std::size_t>();
    header.end = j.at("end").get<std::size_t>();
    header.points = j.at("points").get<std::size_t>();
  } catch (const nlohmann::json::exception& e) {
    bad_file(path, fmt::format("its header lacks a field: {}", e.what()));
  }
  return header;
}
}  // namespace

PointEntry point_entry(std::size_t point, const PointRecord& record, bool keep_trajectory) {
  PointEntry entry;
  entry.point = point;
  entry.milestones = record.milestones;
  if (keep_trajectory) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& row : record.trajectory) {
      nlohmann::json r = nlohmann::json::array();
      for (double v : row) r.push_back(number_or_null(v));
      rows.push_back(std::move(r));
    }
    entry.trajectory = {{"columns", record.trajectory_columns}, {"rows", std::move(rows)}};
  }
  entry.run = record.run_info;
  return entry;
}

PointEntry failed_point_entry(std::size_t point, std::size_t milestone_count, const std::string& error) {
  PointEntry entry;
  entry.point = point;
  entry.milestones.assign(milestone_count, std::numeric_limits<double>::quiet_NaN());
  entry.error = error;
  return entry;
}

std::string chunk_text(const ChunkFile& chunk) {
  // Written by hand, keys in a reading order (format first, point first); numbers as the shortest
  // decimal that reads back to the same double.
  std::string text = fmt::format("{{\"format\":\"{}\",\"sweep_id\":{},\"first\":{},\"end\":{},\"points\":{}}}\n",
                                 chunk_format, nlohmann::json(chunk.header.sweep_id).dump(), chunk.header.first,
                                 chunk.header.end, chunk.entries.size());
  for (const auto& entry : chunk.entries) {
    text += fmt::format("{{\"point\":{},\"milestones\":[", entry.point);
    for (std::size_t k = 0; k < entry.milestones.size(); ++k) {
      if (k) text += ',';
      const double v = entry.milestones[k];
      text += std::isfinite(v) ? fmt::format("{}", v) : std::string("null");
    }
    text += ']';
    if (!entry.error.empty()) text += ",\"error\":" + nlohmann::json(entry.error).dump();
    if (!entry.trajectory.is_null()) text += ",\"trajectory\":" + entry.trajectory.dump();
    if (!entry.run.is_null()) text += ",\"run\":" + entry.run.dump();
    text += "}\n";
  }
  return text;
}

ChunkHeader read_chunk_header(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::invalid_argument(fmt::format("{}: cannot read it", path.string()));
  std::string line;
  std::getline(in, line);
  return parse_header(path, line);
}

namespace {
// One chunk (its header and the lines it announces) from `text` at `pos`; `pos` moves past it.
ChunkFile parse_chunk(const std::string& text, std::size_t& pos, const std::filesystem::path& origin,
                      bool trajectories) {
  auto next_line = [&](std::size_t& begin, std::size_t& end) {
    begin = pos;
    end = text.find('\n', begin);
    if (end == std::string::npos) end = text.size();
    pos = std::min(text.size(), end + 1);
  };
  ChunkFile chunk;
  std::size_t begin = 0, end = 0;
  next_line(begin, end);
  if (end == begin) bad_file(origin, "no header line");
  chunk.header = parse_header(origin, text.substr(begin, end - begin));
  chunk.entries.reserve(chunk.header.points);
  for (std::size_t k = 0; k < chunk.header.points; ++k) {
    if (pos >= text.size())
      bad_file(origin, fmt::format("the header announces {} points, the file holds {}", chunk.header.points, k));
    next_line(begin, end);
    nlohmann::json line;
    try {
      line = nlohmann::json::parse(text.begin() + static_cast<std::ptrdiff_t>(begin),
                                   text.begin() + static_cast<std::ptrdiff_t>(end));
    } catch (const nlohmann::json::parse_error& e) {
      bad_file(origin, fmt::format("line {} does not parse: {}", k + 2, e.what()));
    }
    PointEntry entry;
    try {
      entry.point = line.at("point").get<std::size_t>();
      for (const auto& v : line.at("milestones")) entry.milestones.push_back(json_number(v));
      entry.error = line.value("error", "");
      if (trajectories) {
        entry.trajectory = line.value("trajectory", nlohmann::json());
        entry.run = line.value("run", nlohmann::json());
      }
    } catch (const nlohmann::json::exception& e) {
      bad_file(origin, fmt::format("line {} lacks a field: {}", k + 2, e.what()));
    }
    if (entry.point < chunk.header.first || entry.point >= chunk.header.end ||
        (!chunk.entries.empty() && entry.point <= chunk.entries.back().point))
      bad_file(origin, fmt::format("point {} is out of order or outside [{}, {})", entry.point, chunk.header.first,
                                   chunk.header.end));
    chunk.entries.push_back(std::move(entry));
  }
  return chunk;
}
}  // namespace

ChunkFile read_chunk_file(const std::filesystem::path& path, bool trajectories) {
  std::ifstream in(path);
  if (!in) throw std::invalid_argument(fmt::format("{}: cannot read it", path.string()));
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  std::size_t pos = 0;
  ChunkFile chunk = parse_chunk(text, pos, path, trajectories);
  if (text.find_first_not_of('\n', pos) != std::string::npos)
    bad_file(path, fmt::format("it holds more than the {} points its header announces", chunk.header.points));
  return chunk;
}

std::vector<ChunkFile> parse_chunk_texts(const std::string& text, const std::string& origin) {
  std::vector<ChunkFile> chunks;
  for (std::size_t pos = 0; text.find_first_not_of('\n', pos) != std::string::npos;)
    chunks.push_back(parse_chunk(text, pos, origin, /*trajectories=*/true));
  return chunks;
}

std::string csv_cell(const nlohmann::json& value) {
  if (value.is_null()) return "";
  if (value.is_number_integer()) return fmt::format("{}", value.get<std::int64_t>());
  if (value.is_number()) return core::csv_number(value.get<double>());
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_string()) return format_value(toml::value<std::string>(value.get<std::string>()));
  return value.dump();
}

double json_number(const nlohmann::json& value) {
  if (value.is_number()) return value.get<double>();
  if (value.is_boolean()) return value.get<bool>() ? 1.0 : 0.0;
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace cotdyn::sweep
