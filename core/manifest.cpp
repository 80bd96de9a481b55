#include <cotdyn/core/manifest.hpp>

#include <chrono>
#include <ctime>
#include <thread>

#include <CLI/Version.hpp>
#include <Eigen/Core>
#include <boost/version.hpp>
#include <fmt/format.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/version.h>
#include <toml++/toml.h>
#ifdef COTDYN_WITH_TORCH
#include <torch/version.h>
#endif

#include <cotdyn/core/blas_kernels.hpp>
#include <cotdyn/build_info.hpp>
#include <cotdyn/core/output.hpp>

namespace cotdyn::core {

std::string cotdyn_version() { return COTDYN_VERSION; }
std::string git_commit() { return COTDYN_GIT_COMMIT; }

nlohmann::json library_versions() {
  nlohmann::json v;
  v["eigen"] = fmt::format("{}.{}.{}", EIGEN_WORLD_VERSION, EIGEN_MAJOR_VERSION, EIGEN_MINOR_VERSION);
  v["boost"] = fmt::format("{}.{}.{}", BOOST_VERSION / 100000, BOOST_VERSION / 100 % 1000, BOOST_VERSION % 100);
  v["onetbb"] = TBB_VERSION_STRING;
  v["fmt"] = fmt::format("{}.{}.{}", FMT_VERSION / 10000, FMT_VERSION / 100 % 100, FMT_VERSION % 100);
  v["tomlplusplus"] = fmt::format("{}.{}.{}", TOML_LIB_MAJOR, TOML_LIB_MINOR, TOML_LIB_PATCH);
  v["nlohmann_json"] = fmt::format("{}.{}.{}", NLOHMANN_JSON_VERSION_MAJOR, NLOHMANN_JSON_VERSION_MINOR,
                                   NLOHMANN_JSON_VERSION_PATCH);
  v["cli11"] = CLI11_VERSION;
#ifdef COTDYN_WITH_TORCH
  v["libtorch"] = TORCH_VERSION;
#else
  v["libtorch"] = nullptr;  // a program without LibTorch (cli/libtorch.hpp)
#endif
  v["compiler"] = COTDYN_COMPILER;
  v["openblas_kernels"] = blas_kernels();  // "" for another BLAS, or none loaded
  return v;
}

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

Manifest::Manifest(std::string command, const Config& config) {
  json_["command"] = std::move(command);
  json_["cotdyn_version"] = cotdyn_version();
  json_["git_commit"] = git_commit();
  json_["config"] = nlohmann::json::parse(config.to_json());
  json_["seed"] = config.get_integer("train.seed");
  json_["libraries"] = library_versions();
  json_["threads"] = {{"hardware", std::thread::hardware_concurrency()},
                      {"tbb_default", oneapi::tbb::info::default_concurrency()},
                      {"configured", config.get_integer("model.threads")}};
  json_["start_time"] = utc_now();
  json_["status"] = "running";
  json_["results"] = nlohmann::json::object();
}

void Manifest::write(const std::filesystem::path& directory, const std::string& status) {
  json_["end_time"] = utc_now();
  json_["status"] = status;
  write_file_atomically(directory / "manifest.json", json_.dump(2) + "\n");
}

}  // namespace cotdyn::core
