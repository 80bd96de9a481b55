#pragma once
// The simulated soft committee machine under online SGD (docs/models/committee.md §8), batched
// over seeds, behind the generic simulation::SimulatedSystem interface. Torch-free header: the
// network lives behind a pointer.
#include <memory>
#include <string>
#include <vector>

#include <cotdyn/meanfield/committee/parameters.hpp>
#include <cotdyn/simulation/committee/settings.hpp>
#include <cotdyn/simulation/simulated_system.hpp>

namespace cotdyn::simulation::committee {

class CommitteeNetworkImpl;  // network.hpp (LibTorch)

// How a step is taken (docs/models/committee.md §8.2); all three give the same step (tests).
// fused (the default, fastest, §8.4): one loop over the raw weights per seed (fused_step.hpp).
// closed_form and autograd: tensor operations and torch::optim::SGD, with the gradients in closed
// form or from backward(); kept as the references the fused step is tested against.
enum class StepMode { fused, closed_form, autograd };

class CommitteeSystem : public simulation::SimulatedSystem {
 public:
  // Validates the settings; sets LibTorch's thread count when settings.threads > 0.
  explicit CommitteeSystem(const CommitteeSettings& settings, StepMode mode = StepMode::fused);
  ~CommitteeSystem() override;

  int num_seeds() const override;
  // Per seed: one fresh input, label noise, one SGD step (§8.2); returns 1/2 (y_hat - y)^2.
  std::vector<double> train_step() override;
  // column_names of measure.hpp: the theory's columns, eps_g_test, T_n_m.
  const std::vector<std::string>& observable_names() const override;
  std::vector<std::vector<double>> observe() override;
  std::string nonfinite_weight(int e) const override;  // "w", "v" or ""
  // DIR/committee.pt: student and teacher weights and every seed's generator state.
  void save(const std::string& directory) const override;
  void load(const std::string& directory) override;

  // The measured order parameters of every seed now (the theory's per-seed starting point at t = 0).
  std::vector<meanfield::committee::State> states() const;
  const CommitteeSettings& settings() const;
  CommitteeNetworkImpl& network();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::unique_ptr<simulation::SimulatedSystem> make_committee_system(const CommitteeSettings& settings);

// Per seed, the order parameters of the initial weights the simulation with these settings starts
// from (same seeds, same draws), without building the test set. The theory's ODE for seed e starts
// at element e (docs/models/committee.md §6: started on the symmetric subspace it would never specialise).
std::vector<meanfield::committee::State> initial_states(const CommitteeSettings& settings);

}  // namespace cotdyn::simulation::committee
