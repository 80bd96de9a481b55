#include "checkpoint.hpp"

#include <filesystem>
#include <fstream>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "csv_output.hpp"

namespace cotdyn::simulation {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json ablation_to_json(const AblationSettings& a) {
  return json{{"train_embeddings", a.train_embeddings}, {"content_qk", a.content_qk},
              {"rope", a.rope},                         {"rope_base", a.rope_base},
              {"causal_attention", a.causal_attention}, {"logic_module", a.logic_module},
              {"mlp_width", a.mlp_width},               {"mlp_activation", a.mlp_activation},
              {"single_lr", a.single_lr},               {"optimizer", a.optimizer},
              {"adam_lr", a.adam_lr},                   {"logic_init", a.logic_init}};
}

// Checkpoints written before the [ablation] section existed have none: the solvable model.
AblationSettings ablation_from_json(const json& j) {
  AblationSettings a;
  if (!j.contains("ablation")) return a;
  const json& x = j.at("ablation");
  x.at("train_embeddings").get_to(a.train_embeddings);
  x.at("content_qk").get_to(a.content_qk);
  x.at("rope").get_to(a.rope);
  x.at("rope_base").get_to(a.rope_base);
  x.at("causal_attention").get_to(a.causal_attention);
  x.at("logic_module").get_to(a.logic_module);
  x.at("mlp_width").get_to(a.mlp_width);
  x.at("mlp_activation").get_to(a.mlp_activation);
  x.at("single_lr").get_to(a.single_lr);
  x.at("optimizer").get_to(a.optimizer);
  x.at("adam_lr").get_to(a.adam_lr);
  x.at("logic_init").get_to(a.logic_init);
  return a;
}

json settings_to_json(const SimulationSettings& s) {
  return json{{"group", fmt::format("S{}", s.task.m)},
              {"actions", s.task.actions},
              {"L", s.L},
              {"d", s.d},
              {"sigma2", s.sigma2},
              {"logic", s.logic},
              {"dtype", s.dtype},
              {"device", s.device},
              {"threads", s.threads},
              {"eta_W", s.eta_W},
              {"eta_A", s.eta_A},
              {"batch", s.batch},
              {"t_max", s.t_max},
              {"seeds", s.seeds},
              {"base_seed", s.base_seed},
              {"observation_times", s.observation_times},
              {"eval_sequences", s.eval_sequences},
              {"eval_seed", s.eval_seed},
              {"ablation", ablation_to_json(s.ablation)}};
}

SimulationSettings settings_from_json(const json& j) {
  SimulationSettings s;
  s.task = task::make_permutation_task(j.at("group").get<std::string>(), j.at("actions").get<std::vector<task::Permutation>>());
  j.at("L").get_to(s.L);
  j.at("d").get_to(s.d);
  j.at("sigma2").get_to(s.sigma2);
  j.at("logic").get_to(s.logic);
  j.at("dtype").get_to(s.dtype);
  j.at("device").get_to(s.device);
  j.at("threads").get_to(s.threads);
  j.at("eta_W").get_to(s.eta_W);
  j.at("eta_A").get_to(s.eta_A);
  j.at("batch").get_to(s.batch);
  j.at("t_max").get_to(s.t_max);
  j.at("seeds").get_to(s.seeds);
  j.at("base_seed").get_to(s.base_seed);
  j.at("observation_times").get_to(s.observation_times);
  j.at("eval_sequences").get_to(s.eval_sequences);
  j.at("eval_seed").get_to(s.eval_seed);
  s.ablation = ablation_from_json(j);
  return s;
}

json state_to_json(const LoopState& state, const std::vector<std::string>& columns) {
  json failures = json::array();
  for (const auto& f : state.status.failures)
    failures.push_back({{"seed", f.seed}, {"step", f.step}, {"t", f.t}, {"quantity", f.quantity}});
  json rows = json::array();
  for (const auto& m : state.measurements)
    rows.push_back({{"seed", m.seed}, {"d", m.d}, {"step", m.step}, {"t", m.t}, {"values", m.values}});
  return json{{"step", state.step},
              {"next_observation", state.next_observation},
              {"failed", state.failed},
              {"interrupted", state.status.interrupted},
              {"failures", failures},
              {"columns", columns},
              {"measurements", rows}};  // nlohmann writes doubles so that they read back exactly
}

LoopState state_from_json(const json& j) {
  LoopState state;
  j.at("step").get_to(state.step);
  j.at("next_observation").get_to(state.next_observation);
  state.failed = j.at("failed").get<std::vector<bool>>();
  j.at("interrupted").get_to(state.status.interrupted);
  for (const auto& f : j.at("failures"))
    state.status.failures.push_back({f.at("seed").get<std::uint64_t>(), f.at("step").get<std::int64_t>(),
                                     f.at("t").get<double>(), f.at("quantity").get<std::string>()});
  for (const auto& r : j.at("measurements")) {
    // JSON has no NaN: nlohmann writes it as null (columns a model leaves undefined, e.g. R_c of an MLP logic).
    std::vector<double> values;
    for (const auto& v : r.at("values"))
      values.push_back(v.is_null() ? std::numeric_limits<double>::quiet_NaN() : v.get<double>());
    state.measurements.push_back({r.at("seed").get<std::uint64_t>(), r.at("d").get<int>(),
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

void write_checkpoint(const std::string& run_directory, const SimulationSettings& settings,
                      const std::vector<std::string>& columns, const LoopState& state, const SimulatedSystem& system) {
  const fs::path base(run_directory);
  const fs::path fresh = base / "checkpoint.new", current = base / "checkpoint", old = base / "checkpoint.old";
  fs::remove_all(fresh);
  fs::create_directories(fresh);
  system.save(fresh.string());
  write_file_atomically((fresh / "settings.json").string(), settings_to_json(settings).dump(1));
  // state.json last: its presence marks a complete checkpoint.
  write_file_atomically((fresh / "state.json").string(), state_to_json(state, columns).dump());
  fs::remove_all(old);
  if (fs::exists(current)) fs::rename(current, old);
  fs::rename(fresh, current);
  fs::remove_all(old);
}

bool has_checkpoint(const std::string& run_directory) {
  const fs::path base(run_directory);
  return fs::exists(base / "checkpoint" / "state.json") || fs::exists(base / "checkpoint.old" / "state.json");
}

SimulationSettings read_checkpoint_settings(const std::string& run_directory) {
  return settings_from_json(read_json(checkpoint_directory(run_directory) / "settings.json"));
}

LoopState read_checkpoint(const std::string& run_directory, SimulatedSystem& system) {
  const fs::path directory = checkpoint_directory(run_directory);
  LoopState state = state_from_json(read_json(directory / "state.json"));
  system.load(directory.string());
  return state;
}

}  // namespace cotdyn::simulation
