#pragma once
// The entropy and sparsity probes behind the contract (docs/models/entropy.md): the state-tracking task
// with label noise, trained as several variants side by side (the solvable model with SGD, the general
// model with the bilinear or the ReLU MLP logic and Adam, the instability runs at raised Adam steps).
// Theory = the mean-field ODE with label noise (docs/theory.md §16), the solvable variant's curve, with
// H_target; compare holds the solvable variant's entropy and p_correct against it and adds the
// per-variant decomposition, the spike table and the predictions P-a1 ... P-a5
// (comparison_additions.hpp).
#include <cotdyn/models/model.hpp>

namespace cotdyn::models::entropy {

class EntropyModel final : public Model {
 public:
  std::string name() const override { return "entropy"; }
  std::string summary() const override;
  std::string default_sections() const override;
  // train.seeds = 2, compare.d = [32].
  std::vector<std::string> generic_defaults() const override;
  // task.label_noise = entropy.label_noise; train.t_max and observe.times from entropy.adam_t_max,
  // entropy.sgd_t_max, entropy.observations and entropy.variants.
  std::vector<DerivedKey> derived_keys(const core::Config& config) const override;
  void validate(const core::Config& config) const override;
  std::string size_key() const override { return "entropy.d"; }
  std::int64_t steps_per_unit_time(const core::Config& config) const override;
  // The state-tracking ODE with label noise at entropy.d: t, M, alpha, R, Q, ..., entropy (H_mf),
  // p_correct, target_entropy, noisy_loss; its milestones.
  Trajectory theory(const core::Config& config, const std::vector<double>& times) const override;
  std::vector<std::string> milestone_names() const override;
  void validate_simulation(const core::Config& config) const override;
  std::unique_ptr<simulation::SimulatedSystem> simulated_system(const core::Config& config) const override;
  std::string simulation_summary(const core::Config& config) const override;
  core::MemoryEstimate simulation_memory(const core::Config& config) const override;
  // With the solvable variant: entropy_solvable and p_correct_solvable against the ODE's entropy and
  // p_correct. None otherwise (the Adam variants have no ODE).
  std::vector<ComparedQuantity> compared(const core::Config& config) const override;
  ComparisonAdditions comparison_additions(const core::Config& config,
                                           const std::vector<ComparedSize>& sizes) const override;
};

}  // namespace cotdyn::models::entropy
