#include <cotdyn/models/state_tracking/resolve_simulation.hpp>

#include <stdexcept>

#include <fmt/format.h>

#include <cotdyn/core/observation_grid.hpp>
#include <cotdyn/models/state_tracking/resolve.hpp>

namespace cotdyn::models::state_tracking {

namespace {
int positive_int(const core::Config& config, const std::string& key, std::int64_t minimum) {
  const auto value = config.get_integer(key);
  if (value < minimum || value > 1'000'000'000)
    throw std::invalid_argument(fmt::format("{} = {}: must be an integer >= {}", key, value, minimum));
  return static_cast<int>(value);
}

template <typename Enum, std::size_t N>
Enum choice(const core::Config& config, const std::string& key, const core::ChoiceNames<Enum, N>& names) {
  return core::parse_choice(key, config.get_string(key), names);
}
}  // namespace

simulation::SimulationSettings resolve_simulation_settings(const core::Config& config) {
  const auto parameters = resolve_model_parameters(config);  // checks the rates, sigma2, L and the task
  auto task = resolve_task(config);
  if (!task)
    throw std::invalid_argument(
        "task.group = \"\": the simulator needs a group and its actions (task.n and task.K are for theory only)");
  if (parameters.n != task->num_states() || parameters.K != task->num_actions())
    throw std::invalid_argument(fmt::format(
        "task.n = {}, task.K = {} disagree with task.group = \"{}\" and its {} actions (n = {}); the simulator "
        "takes n and K from the group: set task.n = 0 and task.K = 0",
        config.get_integer("task.n"), config.get_integer("task.K"), config.get_string("task.group"),
        task->num_actions(), task->num_states()));
  simulation::SimulationSettings s;
  s.task = std::move(*task);
  s.L = parameters.L;
  s.label_noise = parameters.label_noise;
  s.d = positive_int(config, "model.d", 1);
  s.sigma2 = parameters.sigma2;
  s.logic = choice(config, "model.logic", simulation::logic_storage_names);
  s.dtype = choice(config, "model.dtype", simulation::precision_names);
  s.device = choice(config, "model.device", simulation::device_names);
  s.threads = positive_int(config, "model.threads", 0);
  s.eta_W = parameters.eta_W;
  s.eta_A = parameters.eta_A;
  s.batch = positive_int(config, "train.batch", 1);
  s.t_max = core::resolve_t_max(config);
  s.seeds = positive_int(config, "train.seeds", 1);
  const auto seed = config.get_integer("train.seed");
  if (seed < 0) throw std::invalid_argument(fmt::format("train.seed = {}: must be >= 0", seed));
  s.base_seed = static_cast<std::uint64_t>(seed);
  s.observation_times = core::resolve_observation_times(config);
  s.ablation = resolve_ablation_settings(config, s.d, s.L);
  simulation::validate(s);
  return s;
}

simulation::AblationSettings resolve_ablation_settings(const core::Config& config, int d, int L) {
  simulation::AblationSettings a;
  a.train_embeddings = config.get_bool("ablation.train_embeddings");
  a.content_qk = config.get_bool("ablation.content_qk");
  a.rope = choice(config, "ablation.rope", simulation::rope_schedule_names);
  a.rope_base = config.get_number("ablation.rope_base");
  a.causal_attention = config.get_bool("ablation.causal_attention");
  a.logic_module = choice(config, "ablation.logic_module", simulation::logic_module_names);
  a.mlp_width = positive_int(config, "ablation.mlp_width", 0);
  a.mlp_activation = choice(config, "ablation.mlp_activation", simulation::mlp_activation_names);
  a.single_lr = config.get_bool("ablation.single_lr");
  a.optimizer = choice(config, "ablation.optimizer", simulation::optimizer_names);
  a.adam_lr = config.get_number("ablation.adam_lr");
  a.logic_init = config.get_number("ablation.logic_init");
  simulation::validate(a, d, L);
  return a;
}

}  // namespace cotdyn::models::state_tracking
