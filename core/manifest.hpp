#pragma once
// The manifest that accompanies every output: resolved config, seed, version, git commit, library
// versions, thread count, start and end time, status and the run's headline results.
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include <cotdyn/core/config.hpp>

namespace cotdyn::core {

std::string cotdyn_version();
std::string git_commit();
nlohmann::json library_versions();
std::string utc_now();  // ISO 8601

class Manifest {
 public:
  Manifest(std::string command, const Config& config);
  nlohmann::json& results() { return json_["results"]; }
  nlohmann::json& json() { return json_; }
  // Marks the end time and status ("complete", "interrupted", "failed") and writes DIR/manifest.json atomically.
  void write(const std::filesystem::path& directory, const std::string& status = "complete");

 private:
  nlohmann::json json_;
};

}  // namespace cotdyn::core
