#pragma once
// The Boolean-DAG experiment behind the contract (docs/models/natbool.md): a small transformer learns
// a hidden XOR/XNOR tree of order r directly, with explicit CoT, with unsupervised latent steps, or
// with latent steps aligned to the gate values. Theory = closed-form predictions (sequential steps,
// the order of each supervised target and the one-layer signal law); compare holds them and the
// design's acceptance rules against the measured learning times and initial gradient signals.
#include <cotdyn/models/model.hpp>

namespace cotdyn::models::natbool {

class NatboolModel final : public Model {
 public:
  std::string name() const override { return "natbool"; }
  std::string summary() const override;
  std::string default_sections() const override;
  // train.seeds = 3, compare.d = [2, 4].
  std::vector<std::string> generic_defaults() const override;
  // train.t_max = natbool.cap, observe.times = 0, eval_every, 2 eval_every, ..., cap.
  std::vector<DerivedKey> derived_keys(const core::Config& config) const override;
  void validate(const core::Config& config) const override;
  std::string size_key() const override { return "natbool.r"; }
  std::string size_column() const override { return "r"; }
  std::int64_t steps_per_unit_time(const core::Config&) const override { return 1; }
  std::int64_t size_value(const core::Config& config) const override;
  // Column t only; the milestones are the predictions at natbool.r: steps_per_answer_<regime>,
  // speedup (explicit over aligned, G / D), order_<regime>, law_<regime> (milestone_names()).
  Trajectory theory(const core::Config& config, const std::vector<double>& times) const override;
  std::vector<std::string> milestone_names() const override;
  // theory.csv: the predictions for r = 2 ... max(natbool.r, 6) (at most m), one row per r.
  TheoryRun theory_run(const core::Config& config) const override;
  void validate_simulation(const core::Config& config) const override;
  std::unique_ptr<simulation::SimulatedSystem> simulated_system(const core::Config& config) const override;
  std::string simulation_summary(const core::Config& config) const override;
  core::MemoryEstimate simulation_memory(const core::Config& config) const override;
  // None: the theory has no trajectory; compare's predictions come from comparison_additions().
  std::vector<ComparedQuantity> compared(const core::Config&) const override { return {}; }
  // regimes.csv, signal.csv, the figures and the prediction checks (comparison_additions.hpp).
  ComparisonAdditions comparison_additions(const core::Config& config,
                                           const std::vector<ComparedSize>& sizes) const override;
  // dag.txt (gate list and depth), train.csv and test.csv of member 0 (dataset.count inputs each).
  std::vector<std::string> write_dataset(const core::Config& config, const std::string& directory) const override;
  std::vector<std::string> dataset_files() const override { return {"dag.txt", "train.csv", "test.csv"}; }
};

}  // namespace cotdyn::models::natbool
