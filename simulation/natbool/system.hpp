#pragma once
// The Boolean-DAG experiment behind the generic simulation::SimulatedSystem interface
// (docs/models/natbool.md §3.2): at one r, every regime of regimes_run() trains its own member-batched
// transformer (members = seeds) on its own training streams, the regimes side by side (oneTBB, one
// LibTorch thread each). One train_step() is one Adam update of every regime still running; observe()
// evaluates every running regime on the members' held-out inputs. A regime stops at the first
// evaluation at which every member has reached 99 % (its columns keep that evaluation afterwards,
// steps_<regime> says how far it trained); the run is finished() when every regime has stopped.
// Torch-free header.
#include <memory>
#include <string>
#include <vector>

#include <cotdyn/simulation/natbool/settings.hpp>
#include <cotdyn/simulation/simulated_system.hpp>

namespace cotdyn::simulation::natbool {

// The observed columns, per regime R of regimes_run(): acc_R (held-out answer accuracy),
// latent_acc_R (all G - 1 latents right at once; NaN for direct and explicit), gate_acc_R_<g>
// (latent g right, g = 1 ... G - 1; latent regimes only), loss_R (the last step's training loss; NaN
// before the first step) and steps_R (the regime's Adam updates so far).
std::vector<std::string> column_names(const NatboolSettings& settings);

class NatboolSystem : public simulation::SimulatedSystem {
 public:
  explicit NatboolSystem(const NatboolSettings& settings);  // validates; LibTorch threads = 1
  ~NatboolSystem() override;

  int num_seeds() const override;
  // One Adam step of every running regime; per seed, the mean of their training losses.
  std::vector<double> train_step() override;
  const std::vector<std::string>& observable_names() const override;
  std::vector<std::vector<double>> observe() override;
  bool finished() const override;
  std::string nonfinite_weight(int e) const override;
  // DIR/natbool_<regime>.pt (weights, training-stream positions, stop state) and
  // DIR/natbool_<regime>_adam.pt (the optimiser's state) per regime.
  void save(const std::string& directory) const override;
  void load(const std::string& directory) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::unique_ptr<simulation::SimulatedSystem> make_natbool_system(const NatboolSettings& settings);

}  // namespace cotdyn::simulation::natbool
