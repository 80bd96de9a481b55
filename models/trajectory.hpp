#pragma once
// One trajectory: named columns on a time grid ("t" first) and named scalar milestones (NaN: not
// reached). What a model's theory returns, and what compare and sweep read by name.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cotdyn::models {

struct Milestone {
  std::string name;
  double value;
};

struct Trajectory {
  std::vector<std::string> columns;         // "t" first
  std::vector<std::vector<double>> rows;    // one per time, one value per column
  std::vector<Milestone> milestones;

  // The values of a named column; throws std::out_of_range naming it.
  std::vector<double> column(const std::string& name) const;
  bool has_column(const std::string& name) const;
  // A named milestone; throws std::out_of_range naming it.
  double milestone(const std::string& name) const;
  // The milestones as a JSON object (NaN as null).
  nlohmann::json milestones_json() const;
};

}  // namespace cotdyn::models
