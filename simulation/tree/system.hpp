#pragma once
// The simulated tree path-finding network under online SGD (docs/models/tree.md §2 and §10),
// batched over seeds, behind the generic simulation::SimulatedSystem interface. Torch-free header:
// the network lives behind a pointer.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <cotdyn/simulation/simulated_system.hpp>
#include <cotdyn/simulation/tree/settings.hpp>
#include <cotdyn/simulation/tree/task.hpp>

namespace cotdyn::simulation::tree {

class TreeNetworkImpl;  // network.hpp (LibTorch)

class TreeSystem : public simulation::SimulatedSystem {
 public:
  // Validates the settings, sets LibTorch's thread count when settings.threads > 0, draws the
  // evaluation set (fresh_samples with eval_seed, shared by all seeds) and the networks.
  explicit TreeSystem(const TreeSettings& settings);
  ~TreeSystem() override;

  int num_seeds() const override;
  // Per seed: B fresh samples from its own SampleGenerator (seed base_seed + e; a draw whose labelled
  // tree is in the evaluation set is skipped), one SGD step of every block with rate eta/d.
  // Returns each seed's minibatch loss before the step.
  std::vector<double> train_step() override;
  const std::vector<std::string>& observable_names() const override;  // column_names of measure.hpp
  std::vector<std::vector<double>> observe() override;
  std::string nonfinite_weight(int e) const override;  // "W_qk", "W_ov", "C" or ""
  // DIR/tree.pt: storage, weights, embeddings, each seed's sample-stream seed and number of draws.
  void save(const std::string& directory) const override;
  void load(const std::string& directory) override;

  const TreeSettings& settings() const;
  const std::vector<Sample>& evaluation_set() const;
  TreeNetworkImpl& network();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::unique_ptr<simulation::SimulatedSystem> make_tree_system(const TreeSettings& settings);

}  // namespace cotdyn::simulation::tree
