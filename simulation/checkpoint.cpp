#include <cotdyn/simulation/checkpoint.hpp>

#include <filesystem>
#include <fstream>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cotdyn/simulation/csv_output.hpp>

namespace cotdyn::simulation {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json state_to_json(const LoopState& state, const std::vector<std::string>& columns, const std::string& size_column) {
  json failures = json::array();
  for (const auto& f : state.status.failures)
    failures.push_back({{"seed", f.seed}, {"step", f.step}, {"t", f.t}, {"quantity", f.quantity}});
  json warnings = json::array();
  for (const auto& w : state.status.warnings)
    warnings.push_back({{"seed", w.seed}, {"step", w.step}, {"t", w.t}, {"quantity", w.quantity}, {"what", w.what}});
  json rows = json::array();
  for (const auto& m : state.measurements)
    rows.push_back({{"seed", m.seed}, {size_column, m.d}, {"step", m.step}, {"t", m.t}, {"values", m.values}});
  return json{{"step", state.step},
              {"next_observation", state.next_observation},
              {"failed", state.failed},
              {"interrupted", state.status.interrupted},
              {"failures", failures},
              {"warnings", warnings},
              {"checks", state.checks.to_json()},
              {"columns", columns},
              {"measurements", rows}};  // nlohmann writes doubles so that they read back exactly
}

LoopState state_from_json(const json& j, const std::string& size_column) {
  LoopState state;
  j.at("step").get_to(state.step);
  j.at("next_observation").get_to(state.next_observation);
  state.failed = j.at("failed").get<std::vector<bool>>();
  j.at("interrupted").get_to(state.status.interrupted);
  for (const auto& f : j.at("failures"))
    state.status.failures.push_back({f.at("seed").get<std::uint64_t>(), f.at("step").get<std::int64_t>(),
                                     f.at("t").get<double>(), f.at("quantity").get<std::string>()});
  // Checkpoints written before the meaningless-run checks have neither (their checks start afresh).
  if (j.contains("warnings"))
    for (const auto& w : j.at("warnings"))
      state.status.warnings.push_back({w.at("seed").get<std::uint64_t>(), w.at("step").get<std::int64_t>(),
                                       w.at("t").get<double>(), w.at("quantity").get<std::string>(),
                                       w.at("what").get<std::string>()});
  if (j.contains("checks")) state.checks = RunChecks::from_json(j.at("checks"));
  for (const auto& r : j.at("measurements")) {
    // JSON has no NaN: nlohmann writes it as null (columns a model leaves undefined, e.g. R_c of an MLP logic).
    std::vector<double> values;
    for (const auto& v : r.at("values"))
      values.push_back(v.is_null() ? std::numeric_limits<double>::quiet_NaN() : v.get<double>());
    state.measurements.push_back({r.at("seed").get<std::uint64_t>(), r.at(size_column).get<int>(),
                                  r.at("step").get<std::int64_t>(), r.at("t").get<double>(), std::move(values)});
  }
  return state;
}

json read_json(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(fmt::format("cannot read {}", path.string()));
  return json::parse(in);
}

// The usable checkpoint directory: checkpoint/, or checkpoint.old/ if a swap was cut short.
fs::path checkpoint_directory(const std::string& run_directory) {
  const fs::path base(run_directory);
  if (fs::exists(base / "checkpoint" / "state.json")) return base / "checkpoint";
  if (fs::exists(base / "checkpoint.old" / "state.json")) return base / "checkpoint.old";
  throw std::runtime_error(fmt::format("{} has no checkpoint to resume from", run_directory));
}

}  // namespace

void write_checkpoint(const std::string& run_directory, const std::vector<std::string>& columns, const LoopState& state,
                      const SimulatedSystem& system, const std::string& size_column) {
  const fs::path base(run_directory);
  const fs::path fresh = base / "checkpoint.new", current = base / "checkpoint", old = base / "checkpoint.old";
  fs::remove_all(fresh);
  fs::create_directories(fresh);
  system.save(fresh.string());
  // state.json last: its presence marks a complete checkpoint.
  write_file_atomically((fresh / "state.json").string(), state_to_json(state, columns, size_column).dump());
  fs::remove_all(old);
  if (fs::exists(current)) fs::rename(current, old);
  fs::rename(fresh, current);
  fs::remove_all(old);
}

bool has_checkpoint(const std::string& run_directory) {
  const fs::path base(run_directory);
  return fs::exists(base / "checkpoint" / "state.json") || fs::exists(base / "checkpoint.old" / "state.json");
}

LoopState read_checkpoint(const std::string& run_directory, SimulatedSystem& system, const std::string& size_column) {
  const fs::path directory = checkpoint_directory(run_directory);
  LoopState state = state_from_json(read_json(directory / "state.json"), size_column);
  system.load(directory.string());
  return state;
}

}  // namespace cotdyn::simulation
