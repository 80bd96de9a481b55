#pragma once
// The entropy and sparsity study behind the generic simulation::SimulatedSystem (docs/models/entropy.md):
// its variants (settings.hpp), each a state-tracking system with all seeds batched, trained side by
// side (oneTBB, one LibTorch thread each, as the two-hop arms). A variant trains to its own t_max and
// is frozen after it (its columns keep their last values). Beside the state-tracking measurements it
// keeps, per variant, the Jensen gap of its last `window` observations and, for the instability runs,
// the per-step training loss and the dead fraction on a probe set every dead_every steps
// (spike_statistics.hpp). Torch-free header.
#include <memory>
#include <string>
#include <vector>

#include <cotdyn/simulation/entropy/settings.hpp>
#include <cotdyn/simulation/simulated_system.hpp>

namespace cotdyn::simulation::entropy {

class EntropySystem : public simulation::SimulatedSystem {
 public:
  explicit EntropySystem(const EntropySettings& settings);  // validates; LibTorch threads = 1
  ~EntropySystem() override;

  int num_seeds() const override;
  // One step of every variant still training; per seed, the mean of their training losses.
  std::vector<double> train_step() override;
  const std::vector<std::string>& observable_names() const override;
  std::vector<std::vector<double>> observe() override;
  std::string nonfinite_weight(int e) const override;
  // DIR/entropy_<variant>/ (the variant's own checkpoint) and DIR/entropy_state.pt (steps, Jensen sums,
  // instability traces).
  void save(const std::string& directory) const override;
  void load(const std::string& directory) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::unique_ptr<simulation::SimulatedSystem> make_entropy_system(const EntropySettings& settings);

}  // namespace cotdyn::simulation::entropy
