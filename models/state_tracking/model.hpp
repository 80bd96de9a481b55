#pragma once
// The state-tracking model behind the contract (docs/models.md): theory = the mean-field ODE of
// docs/theory.md sections 4-6, simulation = the one-block transformer of sections 1-3 (and the
// general model of section 11 when [ablation] switches are on). Its keys are the embedded config's
// [task], [model], [train] and [ablation] sections.
#include <cotdyn/models/model.hpp>

namespace cotdyn::models::state_tracking {

// The pairs compare holds against each other, in report order: M, alpha, R, Q, R_c and Q_c against
// the theory's R and Q, and the accuracies against the logit-distribution prediction at d; with label
// noise also the measured entropy and p_correct against the ODE's H_mf and p_1 (docs/theory.md §16.3);
// with `gram` (theory.finite_size = "gram") M, alpha, R, Q, R_c, Q_c against the Gram flow (§4.8).
std::vector<ComparedQuantity> compared_quantities(bool label_noise = false, bool gram = false);

// The pairs the Gram flow changes, read off compared_quantities() with and without it: per simulated
// column the ODE's column and the flow's (M, alpha, R, Q, R_c, Q_c; docs/theory.md §4.8).
struct GramPair {
  std::string simulated, ode, flow;
};
std::vector<GramPair> gram_pairs();

class StateTrackingModel final : public Model {
 public:
  std::string name() const override { return "state_tracking"; }
  std::string summary() const override;
  std::string default_sections() const override { return ""; }
  void validate(const core::Config& config) const override;
  std::string size_key() const override { return "model.d"; }
  std::int64_t steps_per_unit_time(const core::Config& config) const override;
  // Columns of theory.csv (t, M, alpha, R, Q, P, N, loss, step_acc_inf, rollout_acc_inf,
  // step_acc_ld, rollout_acc_ld; the last two at model.d) and the milestones of docs/theory.md §5-6.
  Trajectory theory(const core::Config& config, const std::vector<double>& times) const override;
  std::vector<std::string> milestone_names() const override;
  TheoryRun theory_run(const core::Config& config) const override;
  void validate_simulation(const core::Config& config) const override;
  std::unique_ptr<simulation::SimulatedSystem> simulated_system(const core::Config& config) const override;
  std::string simulation_summary(const core::Config& config) const override;
  core::MemoryEstimate simulation_memory(const core::Config& config) const override;
  int training_threads(const core::Config& config) const override;
  std::vector<ComparedQuantity> compared(const core::Config& config) const override;
};

}  // namespace cotdyn::models::state_tracking
