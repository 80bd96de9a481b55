#include <cotdyn/analysis/sweep/point_file.hpp>

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include <cotdyn/core/output.hpp>

namespace cotdyn::sweep {

std::string point_hash(SweepKind kind, const core::Config& config) {
  return content_hash(to_string(kind) + "\n" + config.to_json());
}

std::filesystem::path point_file_path(const std::filesystem::path& sweep_directory, const std::string& hash) {
  return sweep_directory / "points" / (hash + ".json");
}

namespace {
nlohmann::json number_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }
}  // namespace

nlohmann::json point_json(const SweepPlan& plan, const std::string& sweep_id, std::size_t point,
                          const std::string& hash, const core::Config& config,
                          const std::vector<std::string>& milestone_names, const PointRecord* record,
                          const std::string& error) {
  nlohmann::json j;
  j["format"] = "cotdyn-sweep-point/1";
  j["sweep_id"] = sweep_id;
  j["hash"] = hash;
  j["kind"] = to_string(plan.kind);
  j["point"] = point;
  nlohmann::json axes = nlohmann::json::object();
  for (const auto& axis : plan.axes) axes[axis.key] = value_json(config.get(axis.key));
  j["axes"] = axes;
  nlohmann::json milestones = nlohmann::json::object();
  for (std::size_t k = 0; k < milestone_names.size(); ++k)
    milestones[milestone_names[k]] = record ? number_or_null(record->milestones.at(k)) : nlohmann::json(nullptr);
  j["milestones"] = milestones;
  if (!error.empty()) j["error"] = error;
  if (record) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& row : record->trajectory) {
      nlohmann::json r = nlohmann::json::array();
      for (double v : row) r.push_back(number_or_null(v));
      rows.push_back(std::move(r));
    }
    j["trajectory"] = {{"columns", record->trajectory_columns}, {"rows", std::move(rows)}};
    if (!record->run_info.is_null()) j["run"] = record->run_info;
  }
  j["config"] = nlohmann::json::parse(config.to_json());
  return j;
}

std::optional<nlohmann::json> read_point_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  try {
    return nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::parse_error& e) {
    throw std::runtime_error(fmt::format("point file {} does not parse: {}", path.string(), e.what()));
  }
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
