// The manifest carries config, seed, version, commit, library versions, threads and times.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include <cotdyn/core/manifest.hpp>

using namespace cotdyn::core;

TEST_CASE("the manifest records everything needed to reproduce a run") {
  const auto dir = std::filesystem::temp_directory_path() / "cotdyn_test_manifest";
  std::filesystem::create_directories(dir);
  Config config;
  config.apply_set("train.seed=7");
  Manifest manifest("theory", config);
  manifest.results()["lock_on_time"] = 50.0;
  manifest.write(dir);
  std::ifstream in(dir / "manifest.json");
  const auto j = nlohmann::json::parse(in);
  CHECK(j["command"] == "theory");
  CHECK(j["seed"] == 7);
  CHECK(j["config"]["train"]["eta_W"] == 10.0);
  CHECK(j["config"]["task"]["group"] == "S4");
  CHECK(!j["cotdyn_version"].get<std::string>().empty());
  CHECK(!j["git_commit"].get<std::string>().empty());
  for (const char* library : {"eigen", "boost", "onetbb", "fmt", "tomlplusplus", "nlohmann_json", "cli11"})
    CHECK(j["libraries"].contains(library));
  CHECK(j["threads"]["hardware"].get<int>() >= 1);
  CHECK(j["status"] == "complete");
  CHECK(j.contains("start_time"));
  CHECK(j.contains("end_time"));
  CHECK(j["results"]["lock_on_time"] == 50.0);
  std::filesystem::remove_all(dir);
}
