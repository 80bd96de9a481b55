#include <cotdyn/models/state_tracking/model.hpp>

#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cotdyn/core/observation_grid.hpp>
#include <cotdyn/meanfield/state_tracking/label_noise.hpp>
#include <cotdyn/meanfield/state_tracking/theory_run.hpp>
#include <cotdyn/models/state_tracking/resolve.hpp>
#include <cotdyn/models/state_tracking/resolve_simulation.hpp>
#include <cotdyn/models/state_tracking/theory_output.hpp>
#include <cotdyn/simulation/state_tracking/settings.hpp>
#ifdef COTDYN_WITH_TORCH
#include <cotdyn/simulation/state_tracking/memory.hpp>
#include <cotdyn/simulation/state_tracking/system.hpp>
#endif

namespace cotdyn::models::state_tracking {

namespace {
// model.d, checked: the theory's logit-distribution accuracy and the simulation's time unit.
double embedding_dimension(const core::Config& config) {
  const double d = static_cast<double>(config.get_integer("model.d"));
  if (!(d >= 1)) throw std::invalid_argument(fmt::format("model.d = {}: must be >= 1", d));
  return d;
}

meanfield::TheoryResult solve(const core::Config& config, const std::vector<double>& times) {
  return meanfield::run_theory(resolve_model_parameters(config), times, resolve_tolerances(config),
                               {embedding_dimension(config)}, resolve_finite_size(config));
}
}  // namespace

std::string StateTrackingModel::summary() const {
  return "chain-of-thought state tracking by a one-block transformer: attention retrieval M, teacher "
         "alignment R, off-target overlap Q (docs/theory.md)";
}

void StateTrackingModel::validate(const core::Config& config) const {
  resolve_model_parameters(config);
  resolve_tolerances(config);
  resolve_finite_size(config);
  core::resolve_observation_times(config);
  embedding_dimension(config);
}

std::int64_t StateTrackingModel::steps_per_unit_time(const core::Config& config) const {
  return static_cast<std::int64_t>(embedding_dimension(config));
}

Trajectory StateTrackingModel::theory(const core::Config& config, const std::vector<double>& times) const {
  const auto result = solve(config, times);
  const auto table = theory_rows(result);
  return {table.first, table.second, milestones(result)};
}

std::vector<std::string> StateTrackingModel::milestone_names() const {
  std::vector<std::string> names;
  for (const auto& m : milestones(meanfield::TheoryResult{})) names.push_back(m.name);
  return names;
}

TheoryRun StateTrackingModel::theory_run(const core::Config& config) const {
  const auto parameters = resolve_model_parameters(config);
  const double d = embedding_dimension(config);
  const auto result = solve(config, core::resolve_observation_times(config));
  const auto table = theory_rows(result);
  TheoryRun run{{table.first, table.second, milestones(result)}, milestones_json(result), {}};
  run.report = fmt::format("cotdyn theory: n = {}, K = {}, L = {}, eta_W = {}, eta_A = {}, sigma2 = {}, d = {}",
                           parameters.n, parameters.K, parameters.L, parameters.eta_W, parameters.eta_A,
                           parameters.sigma2, d) +
               (meanfield::has_label_noise(parameters)
                    ? fmt::format(", label_noise = {} (target entropy {:.4f} nats)", parameters.label_noise,
                                  meanfield::target_entropy(parameters))
                    : std::string()) +
               "\n" + milestones_report(result);
  return run;
}

void StateTrackingModel::validate_simulation(const core::Config& config) const {
#ifdef COTDYN_WITH_TORCH
  resolve_simulation_settings(config);
#else
  (void)config;
#endif
}

std::unique_ptr<simulation::SimulatedSystem> StateTrackingModel::simulated_system(const core::Config& config) const {
#ifdef COTDYN_WITH_TORCH
  return simulation::make_permutation_tracking_system(resolve_simulation_settings(config));
#else
  (void)config;
  return nullptr;
#endif
}

core::MemoryEstimate StateTrackingModel::simulation_memory(const core::Config& config) const {
#ifdef COTDYN_WITH_TORCH
  return simulation::memory_estimate(resolve_simulation_settings(config));
#else
  (void)config;
  return {};
#endif
}

int StateTrackingModel::training_threads(const core::Config& config) const {
  // Serial exactly when the intra-op thread rule gives one thread whatever the core count.
  return simulation::intra_op_threads(resolve_simulation_settings(config), 2) == 1 ? 1 : 0;
}

std::string StateTrackingModel::simulation_summary(const core::Config& config) const {
#ifdef COTDYN_WITH_TORCH
  const auto settings = resolve_simulation_settings(config);
  // A switch on trains the general model (full tensors, autograd), whatever model.logic says.
  const std::string model = settings.ablation.any()
                                ? fmt::format("general model ({})", fmt::join(settings.ablation.active(), ", "))
                                : "logic = " + core::name_of(settings.logic, simulation::logic_storage_names);
  return fmt::format("{} seeds, d = {}, {}, {} steps each", settings.seeds, settings.d, model,
                     simulation::observation_step(settings.t_max, settings.d));
#else
  (void)config;
  return "";
#endif
}

std::vector<ComparedQuantity> compared_quantities(bool label_noise, bool gram) {
  // Coefficient-space R_c, Q_c converge to the same d -> infinity limit as logit space (docs/theory.md §3).
  // With theory.finite_size = "gram" the order parameters face the Gram flow at that d instead, each in
  // its own space (§4.8); the accuracies keep their logit-distribution prediction.
  auto theory = [gram](const char* ode, const char* flow) { return std::string(gram ? flow : ode); };
  std::vector<ComparedQuantity> pairs = {{"M", theory("M", "M_gram")},
                                         {"alpha", theory("alpha", "alpha_gram")},
                                         {"R", theory("R", "R_gram")},
                                         {"Q", theory("Q", "Q_gram")},
                                         {"R_c", theory("R", "R_c_gram")},
                                         {"Q_c", theory("Q", "Q_c_gram")},
                                         {"step_acc", "step_acc_ld"},
                                         {"rollout_acc", "rollout_acc_ld"},
                                         {"final_acc", "final_acc_ld"}};
  // The entropy probe's columns (simulation/state_tracking/entropy_probe.hpp) face the ODE's columns of
  // the same names, which exist only with label noise (docs/theory.md §16.3).
  // The entropy faces the ODE's entropy at that d (the LD average, §16.3), as the accuracies do.
  if (label_noise) pairs.insert(pairs.end(), {{"entropy", "entropy_ld"}, {"p_correct", "p_correct"}});
  return pairs;
}

std::vector<GramPair> gram_pairs() {
  const auto ode = compared_quantities(false, false), flow = compared_quantities(false, true);
  std::vector<GramPair> pairs;
  for (std::size_t i = 0; i < ode.size(); ++i)
    if (ode[i].theory != flow[i].theory) pairs.push_back({ode[i].simulated, ode[i].theory, flow[i].theory});
  return pairs;
}

std::vector<ComparedQuantity> StateTrackingModel::compared(const core::Config& config) const {
  return compared_quantities(meanfield::has_label_noise(resolve_model_parameters(config)),
                             resolve_finite_size(config).has_value());
}

}  // namespace cotdyn::models::state_tracking
