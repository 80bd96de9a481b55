#pragma once
// What the training loop needs from a simulated task + model, batched over seeds. Torch-free, so
// the loop, progress, CSV output and checkpointing do not depend on the model. A new task or model
// is a new implementation of this interface (its own sampler, model and observers).
#include <cstdint>
#include <string>
#include <vector>

namespace cotdyn::simulation {

class SimulatedSystem {
 public:
  virtual ~SimulatedSystem() = default;

  virtual int num_seeds() const = 0;
  // One online SGD step for every seed on fresh samples; returns each seed's training loss.
  virtual std::vector<double> train_step() = 0;
  // Names of the observed quantities, and their values per seed: [seed][quantity].
  virtual const std::vector<std::string>& observable_names() const = 0;
  virtual std::vector<std::vector<double>> observe() = 0;
  // Optional: per seed, the names of the network's softmaxes saturated at the last observe(): more
  // than half of the evaluation queries have a largest probability above 1 - 1e-9 (run_checks.hpp).
  // Default: none (a model without softmaxes, or one that does not measure it).
  virtual std::vector<std::vector<std::string>> saturated_softmaxes() const { return {}; }
  // Optional: the system has met its own stopping rule at the last observe() (the Boolean-DAG
  // experiment: every regime's members have reached 99 %); the loop then ends the run as at its final
  // step. Default: never.
  virtual bool finished() const { return false; }
  // "" when all weights of seed e are finite, else the name of the offending quantity.
  virtual std::string nonfinite_weight(int e) const = 0;
  // Writes / reads weights and generator states into / from an existing directory.
  virtual void save(const std::string& directory) const = 0;
  virtual void load(const std::string& directory) = 0;
};

}  // namespace cotdyn::simulation
