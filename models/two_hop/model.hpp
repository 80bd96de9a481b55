#pragma once
// The two-hop experiment behind the contract (docs/models/two_hop.md): a small transformer learns a
// random knowledge graph's atomic facts and two-hop compositions, with chain of thought (the bridge
// written before the answer) and without. Theory = closed-form counts and rates of the training
// stream and the predictions P-b1 ... P-b5; compare holds them against the measured accuracies and
// logit lens (comparison_additions.hpp).
#include <cotdyn/models/model.hpp>

namespace cotdyn::models::two_hop {

class TwoHopModel final : public Model {
 public:
  std::string name() const override { return "two_hop"; }
  std::string summary() const override;
  std::string default_sections() const override;
  // train.seeds = 2, compare.d = [4].
  std::vector<std::string> generic_defaults() const override;
  // train.t_max = two_hop.steps, observe.times = 0, eval_every, 2 eval_every, ..., steps.
  std::vector<DerivedKey> derived_keys(const core::Config& config) const override;
  void validate(const core::Config& config) const override;
  std::string size_key() const override { return "two_hop.layers"; }
  std::string size_column() const override { return "layers"; }
  std::int64_t steps_per_unit_time(const core::Config&) const override { return 1; }
  std::int64_t size_value(const core::Config& config) const override;
  // Column t only; the milestones are the training stream's counts and rates (milestone_names()).
  Trajectory theory(const core::Config& config, const std::vector<double>& times) const override;
  std::vector<std::string> milestone_names() const override;
  // theory.csv: one row, the milestones.
  TheoryRun theory_run(const core::Config& config) const override;
  void validate_simulation(const core::Config& config) const override;
  std::unique_ptr<simulation::SimulatedSystem> simulated_system(const core::Config& config) const override;
  std::string simulation_summary(const core::Config& config) const override;
  core::MemoryEstimate simulation_memory(const core::Config& config) const override;
  // None: the theory has no trajectory; compare's predictions come from comparison_additions().
  std::vector<ComparedQuantity> compared(const core::Config&) const override { return {}; }
  // accuracy.csv, lens.csv, the figures and the prediction checks (comparison_additions.hpp).
  ComparisonAdditions comparison_additions(const core::Config& config,
                                           const std::vector<ComparedSize>& sizes) const override;
  // train.json, test.json and vocab.json in the public format (simulation/two_hop/dataset_directory.hpp).
  std::vector<std::string> write_dataset(const core::Config& config, const std::string& directory) const override;
  std::vector<std::string> dataset_files() const override { return {"train.json", "test.json", "vocab.json"}; }
};

}  // namespace cotdyn::models::two_hop
