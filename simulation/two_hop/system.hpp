#pragma once
// The two-hop experiment behind the generic simulation::SimulatedSystem interface (docs/models/
// two_hop.md §7): the CoT and no-CoT arms, each a member-batched transformer (members = seeds) on the
// same task data, side by side (oneTBB, one LibTorch thread each). Member e of both arms starts from
// the same seed and draws the same row indices, so the arms differ only in the two-hop rows' format.
// One train_step() is one AdamW update of both arms; observe() evaluates every probe set, the logit
// lens and the per-block attention bypass. Torch-free header.
#include <memory>
#include <string>
#include <vector>

#include <cotdyn/simulation/simulated_system.hpp>
#include <cotdyn/simulation/two_hop/settings.hpp>
#include <cotdyn/simulation/two_hop/task_data.hpp>

namespace cotdyn::simulation::two_hop {

class TwoHopSystem : public simulation::SimulatedSystem {
 public:
  explicit TwoHopSystem(const TwoHopSettings& settings);  // validates; LibTorch threads = 1
  ~TwoHopSystem() override;

  int num_seeds() const override;
  // One AdamW update of both arms; per seed, the mean of their training losses.
  std::vector<double> train_step() override;
  const std::vector<std::string>& observable_names() const override;
  std::vector<std::vector<double>> observe() override;
  std::string nonfinite_weight(int e) const override;
  // DIR/two_hop_<arm>.pt (weights, batch-stream states, steps, last losses) and DIR/two_hop_<arm>_adam.pt.
  void save(const std::string& directory) const override;
  void load(const std::string& directory) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::unique_ptr<simulation::SimulatedSystem> make_two_hop_system(const TwoHopSettings& settings);

}  // namespace cotdyn::simulation::two_hop
