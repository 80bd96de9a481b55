#pragma once
// The linear teacher-student model behind the contract: registered by the test suite only, to prove
// that a model plugs into theory, simulate, compare and sweep through its own folder alone.
// Its keys: [linear] N, eta, sigma, T; and the shared train.t_max, train.seeds, train.seed,
// observe.times.
#include <cotdyn/models/model.hpp>

namespace cotdyn::testing::linear {

class LinearModel final : public models::Model {
 public:
  std::string name() const override { return "linear"; }
  std::string summary() const override;
  std::string default_sections() const override;
  void validate(const core::Config& config) const override;
  std::string size_key() const override { return "linear.N"; }
  std::int64_t steps_per_unit_time(const core::Config& config) const override;
  // Columns t, R, Q, eps_g; milestones eps_g_half_time (eps_g at half its initial value, linear
  // between observations) and eps_g_final.
  models::Trajectory theory(const core::Config& config, const std::vector<double>& times) const override;
  std::vector<std::string> milestone_names() const override { return {"eps_g_half_time", "eps_g_final"}; }
  void validate_simulation(const core::Config& config) const override;
  std::unique_ptr<simulation::SimulatedSystem> simulated_system(const core::Config& config) const override;
  std::string simulation_summary(const core::Config& config) const override;
  core::MemoryEstimate simulation_memory(const core::Config& config) const override;
  std::vector<models::ComparedQuantity> compared(const core::Config&) const override {
    return {{"R", "R"}, {"Q", "Q"}, {"eps_g", "eps_g"}};
  }
};

}  // namespace cotdyn::testing::linear
