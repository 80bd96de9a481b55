#pragma once
// The soft committee machine behind the contract (docs/models/committee.md): theory = the ODEs of
// §4 for the order parameters Q, R, v (and the constant T), simulation = the two-layer network of §8
// trained by online SGD. Its keys are the [committee] section (committee.toml beside this file).
//
// The theory's initial condition (committee.initial): "measured" starts one ODE per seed from the
// order parameters of that seed's initial weights, exactly those the simulation draws, and reports
// the seed mean of the ODE curves (§5: on the symmetric subspace the ODE would never specialise);
// "explicit" starts one ODE from committee.Q0, committee.R0, committee.T and committee.v0.
#include <cotdyn/models/model.hpp>

namespace cotdyn::models::committee {

class CommitteeModel final : public Model {
 public:
  std::string name() const override { return "committee"; }
  std::string summary() const override;
  std::string default_sections() const override;
  void validate(const core::Config& config) const override;
  std::string size_key() const override { return "committee.N"; }
  std::string size_column() const override { return "N"; }  // simulation.csv: seed, N, step, ...
  std::int64_t steps_per_unit_time(const core::Config& config) const override;
  // Columns t, eg, Q_i_k (i <= k), R_i_n, v_i; milestones of §6 (seed means for "measured").
  Trajectory theory(const core::Config& config, const std::vector<double>& times) const override;
  std::vector<std::string> milestone_names() const override;
  void validate_simulation(const core::Config& config) const override;
  std::unique_ptr<simulation::SimulatedSystem> simulated_system(const core::Config& config) const override;
  std::string simulation_summary(const core::Config& config) const override;
  core::MemoryEstimate simulation_memory(const core::Config& config) const override;
  int training_threads(const core::Config& config) const override;
  // eg and eg_test against the theory's eg, then every Q_i_k and R_i_n.
  std::vector<ComparedQuantity> compared(const core::Config& config) const override;
  // figures/learning_curve (eg on log axes, plateau marked), figures/overlaps (R and Q heatmaps, theory
  // and seed mean, at the plateau, at specialisation and at t_max) and figures/R_one_seed (R_in of
  // one seed with its own ODE), at the largest size; specialisation_times.csv and its report section
  // (t_spec per seed, measured and of its own ODE; specialisation_times.hpp); R_i_n_aligned and
  // Q_i_k_aligned, each seed's overlaps with its student units aligned to its own ODE at the last
  // observation, as derived pairs, with student_permutations.csv (student_permutation.hpp)
  // (docs/models/committee.md §8.7).
  ComparisonAdditions comparison_additions(const core::Config& config,
                                           const std::vector<ComparedSize>& sizes) const override;
  // t_max = 500 on 61 log-spaced times from t = 0.1 (16 per decade; plateau and specialisation), and the
  // finite-size study over N = 250, 500, 1000, 2000.
  std::vector<std::string> generic_defaults() const override;
};

}  // namespace cotdyn::models::committee
