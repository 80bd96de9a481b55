#include <cotdyn/models/entropy/model.hpp>

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cotdyn/meanfield/state_tracking/theory_run.hpp>
#include <cotdyn/models/entropy/comparison_additions.hpp>
#include <cotdyn/models/entropy/settings_of.hpp>
#include <cotdyn/models/state_tracking/resolve.hpp>
#include <cotdyn/models/state_tracking/theory_output.hpp>
#ifdef COTDYN_WITH_TORCH
#include <cotdyn/simulation/entropy/memory.hpp>
#include <cotdyn/simulation/entropy/system.hpp>
#endif

namespace cotdyn::models::entropy {

const std::string& entropy_config_text();  // entropy.toml, embedded at configure time

namespace {
namespace sim = simulation::entropy;

meanfield::TheoryResult solve(const core::Config& config, const std::vector<double>& times) {
  auto parameters = state_tracking::resolve_model_parameters(config);
  parameters.label_noise = config.get_number("entropy.label_noise");
  const double d = static_cast<double>(config.get_integer("entropy.d"));
  return meanfield::run_theory(parameters, times, state_tracking::resolve_tolerances(config), {d});
}

bool has_solvable(const core::Config& config) {
  const auto variants = config.get_string_list("entropy.variants");
  return std::find(variants.begin(), variants.end(), "solvable") != variants.end();
}
}  // namespace

std::string EntropyModel::summary() const {
  return "entropy and sparsity probes on the state-tracking task with label noise: low-entropy bias, dead and "
         "active ReLU units, attention bypass, loss spikes (docs/models/entropy.md)";
}

std::string EntropyModel::default_sections() const { return entropy_config_text(); }

std::vector<std::string> EntropyModel::generic_defaults() const { return {"train.seeds=2", "compare.d=[32]"}; }

std::vector<Model::DerivedKey> EntropyModel::derived_keys(const core::Config& config) const {
  const auto s = settings_of(config);
  std::string times = "[";
  for (std::size_t i = 0; i < s.base.observation_times.size(); ++i)
    times += fmt::format("{}{}", i ? ", " : "", s.base.observation_times[i]);
  times += "]";
  return {{fmt::format("task.label_noise={}", s.base.label_noise), "entropy.label_noise"},
          {fmt::format("train.t_max={}", s.base.t_max), "entropy.adam_t_max, entropy.sgd_t_max and entropy.variants"},
          {fmt::format("observe.times={}", times), "entropy.observations, the t_max keys and entropy.variants"}};
}

void EntropyModel::validate(const core::Config& config) const {
  settings_of(config);
  state_tracking::resolve_tolerances(config);
}

std::int64_t EntropyModel::steps_per_unit_time(const core::Config& config) const {
  return settings_of(config).base.d;
}

Trajectory EntropyModel::theory(const core::Config& config, const std::vector<double>& times) const {
  const auto result = solve(config, times);
  const auto table = state_tracking::theory_rows(result);
  return {table.first, table.second, state_tracking::milestones(result)};
}

std::vector<std::string> EntropyModel::milestone_names() const {
  std::vector<std::string> names;
  for (const auto& m : state_tracking::milestones(meanfield::TheoryResult{})) names.push_back(m.name);
  return names;
}

void EntropyModel::validate_simulation(const core::Config& config) const { settings_of(config); }

std::unique_ptr<simulation::SimulatedSystem> EntropyModel::simulated_system(const core::Config& config) const {
#ifdef COTDYN_WITH_TORCH
  return sim::make_entropy_system(settings_of(config));
#else
  (void)config;
  return nullptr;
#endif
}

std::string EntropyModel::simulation_summary(const core::Config& config) const {
  const auto s = settings_of(config);
  std::vector<std::string> names;
  for (const auto& v : sim::variants_of(s)) names.push_back(fmt::format("{} (t_max {:g})", v.name, v.t_max));
  return fmt::format("entropy probes, label noise {}, d = {}, {} seeds; variants {}", s.base.label_noise, s.base.d,
                     s.base.seeds, fmt::join(names, ", "));
}

core::MemoryEstimate EntropyModel::simulation_memory(const core::Config& config) const {
#ifdef COTDYN_WITH_TORCH
  return sim::memory_estimate(settings_of(config));
#else
  (void)config;
  return {};
#endif
}

std::vector<ComparedQuantity> EntropyModel::compared(const core::Config& config) const {
  if (!has_solvable(config)) return {};
  // The entropy faces the ODE's at the study's d (the LD average, docs/theory.md §16.3), as the
  // accuracies face their LD predictions.
  return {{"entropy_solvable", "entropy_ld"}, {"p_correct_solvable", "p_correct"}};
}

ComparisonAdditions EntropyModel::comparison_additions(const core::Config& config,
                                                       const std::vector<ComparedSize>& sizes) const {
  return entropy::comparison_additions(config, sizes);
}

}  // namespace cotdyn::models::entropy
