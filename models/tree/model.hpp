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
  void validate(const core::Config& config) const override;
  std::string size_key() const override { return "tree.d"; }
  std::int64_t steps_per_unit_time(const core::Config& config) const override;
  // The plain ODE's columns (h<h>_<name>, h<h>_m_B, h<h>_m_F, loss, accuracy, exact_match,
  // margin_q<q>, min_margin) and the kappa-ODE's at tree.d (the same names + "_kappa"); milestones:
  // the phase times t_B, t_F, t_S, t_acc and the forward head (§5), on the grid rule of §5.
  Trajectory theory(const core::Config& config, const std::vector<double>& times) const override;
  std::vector<std::string> milestone_names() const override;
  void validate_simulation(const core::Config& config) const override;
  std::unique_ptr<simulation::SimulatedSystem> simulated_system(const core::Config& config) const override;
  std::string simulation_summary(const core::Config& config) const override;
  // Per head and order parameter: coefficient space (h<h>_<name>_coef) against the plain ODE, logit
  // space (h<h>_<name>) against the kappa-ODE (§10.5); then loss and accuracy against the kappa-ODE's.
  std::vector<ComparedQuantity> compared(const core::Config& config) const override;
};

}  // namespace cotdyn::models::tree
