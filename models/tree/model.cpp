#include <cotdyn/models/tree/model.hpp>

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include <cotdyn/core/observation_grid.hpp>
#include <cotdyn/models/schedule.hpp>
#include <cotdyn/models/tree/comparison_additions.hpp>
#include <cotdyn/meanfield/tree/integrate.hpp>
#include <cotdyn/meanfield/tree/milestones.hpp>
#include <cotdyn/simulation/schedule.hpp>
#include <cotdyn/simulation/tree/memory.hpp>
#include <cotdyn/simulation/tree/settings.hpp>
#ifdef COTDYN_WITH_TORCH
#include <cotdyn/simulation/tree/system.hpp>
#endif

namespace cotdyn::models::tree {

const std::string& tree_config_text();  // tree.toml, embedded at configure time

namespace {

namespace theory = meanfield::tree;
using simulation::tree::TreeSettings;

template <class Parse>
auto parsed(const core::Config& config, const std::string& key, Parse parse, const char* allowed) {
  const std::string value = config.get_string(key);
  try {
    return parse(value);
  } catch (const std::invalid_argument&) {
    throw std::invalid_argument(fmt::format("{} = \"{}\": must be {}", key, value, allowed));
  }
}

TreeSettings settings_of(const core::Config& config) {
  TreeSettings s;
  s.task = parsed(config, "tree.task", simulation::tree::task_from_string, "\"forward\" or \"backward\"");
  s.N = static_cast<int>(config.get_integer_in("tree.N", 1, 1'000'000));
  s.D = static_cast<int>(config.get_integer_in("tree.D", 1, 64));
  s.d = static_cast<int>(config.get_integer_in("tree.d", 1, 1 << 20));
  s.H = static_cast<int>(config.get_integer_in("tree.heads", 1, 64));
  s.eta = config.get_number("tree.eta");
  s.batch = static_cast<int>(config.get_integer_in("tree.batch", 1, 1'000'000));
  s.epsilon = config.get_number("tree.epsilon");
  s.head_epsilons = config.get_number_list("tree.head_epsilons");
  s.init_scale = config.get_number("tree.init_scale");
  s.storage = parsed(config, "tree.storage", simulation::tree::storage_from_string, "\"coefficients\" or \"tensor\"");
  s.seeds = static_cast<int>(config.get_integer_in("train.seeds", 1, 1'000'000));
  s.base_seed = base_seed(config);
  s.eval_size = static_cast<int>(config.get_integer_in("tree.eval_size", 1, 100'000'000));
  s.eval_seed = static_cast<std::uint64_t>(config.get_integer_in("tree.eval_seed", 0, 2'000'000'000));
  s.threads = static_cast<int>(config.get_integer_in("tree.threads", 0, 4096));
  return s;
}

theory::Tolerances tolerances_of(const core::Config& config) {
  theory::Tolerances t{config.get_number("theory.rtol"), config.get_number("theory.atol")};
  theory::validate(t);
  return t;
}

}  // namespace

std::string TreeModel::summary() const {
  return "tree path-finding by chain of thought, H attention heads that specialise (reduced ODE, 12 order "
         "parameters per head; docs/models/tree.md)";
}

std::string TreeModel::default_sections() const { return tree_config_text(); }

// The forward task specialises by t ~ 150 at d = infinity (docs/models/tree.md §5); compare runs the
// four sizes of the finite-size study (§10.5) on observations every 5 time units.
std::vector<std::string> TreeModel::generic_defaults() const {
  return {"train.t_max=250", "compare.d=[32, 64, 128, 256]", "observe.times=\"linear:0:t_max:51\""};
}

std::vector<std::string> TreeModel::warnings(const core::Config& config) const {
  const auto s = settings_of(config);
  if (s.task != simulation::tree::Task::forward || s.H > 1) return {};
  return {fmt::format(
      "tree.heads = {} with tree.task = \"forward\": the forward stage cannot get a head of its own, which is what the "
      "task's two heads are for (docs/models/tree.md §2). In the ODE at the defaults one head never forms forward "
      "retrieval (t_F is not reached) and solves the task only much later, through a solution that does not "
      "specialise (docs/models/tree.md §11); the run goes ahead",
      s.H)};
}

void TreeModel::validate(const core::Config& config) const {
  const auto s = settings_of(config);
  try {
    theory::validate(s.parameters(false));
    theory::validate(s.parameters(true));
  } catch (const std::invalid_argument& e) {  // the theory names its field ("N = 14: ..."): name the key
    throw std::invalid_argument(fmt::format("tree.{}", e.what()));
  }
  tolerances_of(config);
}

std::int64_t TreeModel::steps_per_unit_time(const core::Config& config) const {
  return config.get_integer_in("tree.d", 1, 1 << 20);
}

std::vector<std::string> TreeModel::milestone_names() const {
  return {"t_B", "t_F", "t_S", "t_acc", "forward_head", "t_B_kappa", "t_F_kappa", "t_S_kappa", "t_acc_kappa", "forward_head_kappa"};
}

Trajectory TreeModel::theory(const core::Config& config, const std::vector<double>& times) const {
  const auto s = settings_of(config);
  const auto tolerances = tolerances_of(config);
  const auto plain = theory::integrate(s.parameters(false), times, tolerances);
  const auto finite = theory::integrate(s.parameters(true), times, tolerances);
  Trajectory trajectory;
  trajectory.columns = {"t"};
  for (const auto& name : plain.names) trajectory.columns.push_back(name);
  for (const auto& name : finite.names) trajectory.columns.push_back(name + "_kappa");
  for (std::size_t i = 0; i < plain.times.size(); ++i) {
    std::vector<double> row = {plain.times[i]};
    for (const auto& column : plain.columns) row.push_back(column[i]);
    for (const auto& column : finite.columns) row.push_back(column[i]);
    trajectory.rows.push_back(row);
  }
  // Phase times on the grid rule of docs/models/tree.md §5, run to the last requested time, of the
  // plain ODE and of the kappa-ODE at tree.d.
  const double nan = std::nan("");
  const double t_run = times.empty() ? 0.0 : times.back();
  if (t_run > 0.01) {
    theory::PhaseGrid grid;
    grid.t_run = t_run;
    for (const bool finite_d : {false, true}) {
      const auto phases = theory::phase_times(s.parameters(finite_d), grid, tolerances);
      const std::string suffix = finite_d ? "_kappa" : "";
      for (const auto& [name, value] :
           {std::pair{"t_B", phases.t_B}, {"t_F", phases.t_F}, {"t_S", phases.t_S}, {"t_acc", phases.t_acc},
            {"forward_head", phases.forward_head < 0 ? nan : double(phases.forward_head)}})
        trajectory.milestones.push_back({name + suffix, value});
    }
  } else {
    for (const auto& name : milestone_names()) trajectory.milestones.push_back({name, nan});
  }
  return trajectory;
}

void TreeModel::validate_simulation(const core::Config& config) const {
  const auto s = settings_of(config);
  simulation::tree::validate(s);
  // The plug-in's coefficient-space columns (the plain ODE's, docs/models/tree.md §10.3) are
  // G^-1 U W U^T G^-1 in the tensor storage: G = U U^T must be invertible.
  if (s.storage == simulation::tree::Storage::tensor && s.d < s.N)
    throw std::invalid_argument(fmt::format(
        "tree.d = {} is not allowed with tree.storage = \"tensor\": the coefficient-space order parameters need "
        "G = U U^T invertible, d >= N = {}; use a larger d or storage = \"coefficients\"",
        s.d, s.N));
}

std::unique_ptr<simulation::SimulatedSystem> TreeModel::simulated_system(const core::Config& config) const {
#ifdef COTDYN_WITH_TORCH
  return simulation::tree::make_tree_system(settings_of(config));
#else
  (void)config;
  return nullptr;
#endif
}

core::MemoryEstimate TreeModel::simulation_memory(const core::Config& config) const {
  return simulation::tree::memory_estimate(settings_of(config));
}

std::string TreeModel::simulation_summary(const core::Config& config) const {
  const auto s = settings_of(config);
  return fmt::format("tree path-finding, {} task, N = {}, D = {}, d = {}, H = {}, {} storage, {} seeds, {} steps",
                     simulation::tree::to_string(s.task), s.N, s.D, s.d, s.H, simulation::tree::to_string(s.storage),
                     s.seeds, simulation::observation_step(core::resolve_t_max(config), s.d));
}

std::vector<ComparedQuantity> TreeModel::compared(const core::Config& config) const {
  const auto s = settings_of(config);
  std::vector<ComparedQuantity> pairs;
  for (int h = 0; h < s.H; ++h)
    for (const char* name : theory::order_parameter_names) {
      const std::string column = theory::head_column(h, name);
      pairs.push_back({column, column});
      pairs.push_back({column + "_logit", column + "_kappa"});
    }
  for (int h = 0; h < s.H; ++h)
    for (const char* mass : {"m_B", "m_F"})
      if (s.task == simulation::tree::Task::forward || std::string(mass) == "m_B")
        pairs.push_back({theory::head_column(h, mass), theory::head_column(h, mass) + "_kappa"});
  pairs.push_back({"loss", "loss_kappa"});
  pairs.push_back({"step_acc", "step_acc_inf_kappa"});
  pairs.push_back({"exact_acc", "exact_acc_inf_kappa"});
  return pairs;
}

ComparisonAdditions TreeModel::comparison_additions(const core::Config& config,
                                                   const std::vector<ComparedSize>& sizes) const {
  return tree::comparison_additions(*this, config, sizes);
}

}  // namespace cotdyn::models::tree
