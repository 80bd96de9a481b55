#include <cotdyn/models/trajectory.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace cotdyn::models {

namespace {
std::size_t index_of(const std::vector<std::string>& columns, const std::string& name) {
  const auto it = std::find(columns.begin(), columns.end(), name);
  if (it == columns.end()) throw std::out_of_range("the trajectory has no column '" + name + "'");
  return static_cast<std::size_t>(it - columns.begin());
}
}  // namespace

std::vector<double> Trajectory::column(const std::string& name) const {
  const std::size_t c = index_of(columns, name);
  std::vector<double> values;
  values.reserve(rows.size());
  for (const auto& row : rows) values.push_back(row[c]);
  return values;
}

bool Trajectory::has_column(const std::string& name) const {
  return std::find(columns.begin(), columns.end(), name) != columns.end();
}

double Trajectory::milestone(const std::string& name) const {
  for (const auto& m : milestones)
    if (m.name == name) return m.value;
  throw std::out_of_range("the trajectory has no milestone '" + name + "'");
}

nlohmann::json Trajectory::milestones_json() const {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& m : milestones) j[m.name] = std::isfinite(m.value) ? nlohmann::json(m.value) : nlohmann::json(nullptr);
  return j;
}

}  // namespace cotdyn::models
