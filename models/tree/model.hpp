#pragma once
// Tree path-finding with H specialising heads behind the contract (docs/models/tree.md): theory =
// the reduced ODE of §4 (d = infinity) and its kappa-renormalised finite-d variant (§4.4), simulation
// = the one-layer network of §2 and §10. Its keys are the [tree] section (tree.toml beside this file).
#include <cotdyn/models/model.hpp>

namespace cotdyn::models::tree {

class TreeModel final : public Model {
 public:
  std::string name() const override { return "tree"; }
  std::string summary() const override;
  std::string default_sections() const override;
  // train.t_max = 250, compare.d = [32, 64, 128, 256], observations every 5 time units.
  std::vector<std::string> generic_defaults() const override;
  void validate(const core::Config& config) const override;
  // The forward task with one head: allowed, with a warning that one head cannot specialise into a forward
  // head, so exact match comes late if at all (docs/models/tree.md §2).
  std::vector<std::string> warnings(const core::Config& config) const override;
  std::string size_key() const override { return "tree.d"; }
  std::int64_t steps_per_unit_time(const core::Config& config) const override;
  // The plain ODE's columns (head<h>_<name>, head<h>_m_B, head<h>_m_F, loss, step_acc_inf,
  // exact_acc_inf, min_margin, margin_q<q>) and the kappa-ODE's at tree.d (the same names + "_kappa").
  // Milestones: the phase times t_B, t_F, t_S, t_acc and the forward head (§5, on its grid rule) of
  // the plain ODE, then of the kappa-ODE (the same names + "_kappa").
  Trajectory theory(const core::Config& config, const std::vector<double>& times) const override;
  std::vector<std::string> milestone_names() const override;
  void validate_simulation(const core::Config& config) const override;
  std::unique_ptr<simulation::SimulatedSystem> simulated_system(const core::Config& config) const override;
  std::string simulation_summary(const core::Config& config) const override;
  core::MemoryEstimate simulation_memory(const core::Config& config) const override;
  // Per head and order parameter: coefficient space (head<h>_<name>) against the plain ODE, logit
  // space (head<h>_<name>_logit) against the kappa-ODE (§10.5); then the retrieval masses, loss,
  // per-step accuracy and exact match against the kappa-ODE's.
  std::vector<ComparedQuantity> compared(const core::Config& config) const override;
  // Phase times per seed, forward head, accuracy on unseen trees, the pooled discrepancy and four figures
  // (comparison_additions.hpp, docs/models/tree.md §11).
  ComparisonAdditions comparison_additions(const core::Config& config,
                                           const std::vector<ComparedSize>& sizes) const override;
};

}  // namespace cotdyn::models::tree
