#pragma once
// Runs that end with finite numbers but mean nothing (README, "Failure modes"). The training loop
// feeds every step's losses and every observation to RunChecks, which warns, once per seed and kind,
// with the seed, the step, the time and the quantity:
//  * a measured quantity that is infinite, or NaN after it was finite (a model marks the values it
//    does not have by NaN from the start; non-finite weights or training losses stop the seed);
//  * a training loss grown by orders of magnitude: its mean over an observation interval above
//    kLossGrowth times its mean over the first kReferenceSteps steps (the untrained network). A
//    mean, not the first step alone: with one input per step (online SGD) one loss can be a hundred
//    times below its mean by chance (about one seed in ten), and the warning would be false;
//  * a softmax saturated for the whole run: reported by the system (SimulatedSystem::
//    saturated_softmaxes) at every observation after t = 0, at least two of them.
// Torch-free. The state is checkpointed with the loop, so a resumed run warns as an uninterrupted one.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <cotdyn/simulation/measurement.hpp>

namespace cotdyn::simulation {

class RunChecks {
 public:
  static constexpr double kLossGrowth = 100;
  static constexpr int kReferenceSteps = 10;

  RunChecks() = default;
  RunChecks(int seeds, std::uint64_t base_seed);

  // One training step's losses (the step just done).
  void step_losses(std::int64_t step, const std::vector<double>& losses);
  // An observation: per seed its values (empty for a stopped seed) and its saturated softmaxes.
  // Returns the new warnings.
  std::vector<RunWarning> observed(std::int64_t step, double t, const std::vector<std::string>& columns,
                                   const std::vector<std::vector<double>>& values,
                                   const std::vector<std::vector<std::string>>& saturated);
  // At the end of a complete run: the softmaxes saturated at every observation after t = 0.
  std::vector<RunWarning> finished(std::int64_t step, double t);

  bool empty() const { return seeds_.empty(); }  // default-constructed: not yet started
  nlohmann::json to_json() const;
  static RunChecks from_json(const nlohmann::json& j);

 private:
  struct Seed {
    double reference_sum = 0;   // the losses of the first kReferenceSteps steps
    int reference_steps = 0;
    double interval_sum = 0;    // training losses since the last observation
    std::int64_t interval_steps = 0;
    bool loss_warned = false;
    std::vector<std::string> nonfinite_warned;  // columns already reported
    std::vector<bool> was_finite;               // per column: finite at some observation
    std::vector<std::string> always_saturated;  // saturated at every observation after t = 0 so far
    int saturated_observations = 0;             // observations after t = 0 counted
  };
  std::uint64_t base_seed_ = 0;
  std::vector<Seed> seeds_;
};

}  // namespace cotdyn::simulation
