#pragma once
// The settings of a simulated soft committee machine (docs/models/committee.md §1 and §8): sizes,
// learning rules, initial weights, seeds and the test set. Torch-free, so configs can be checked
// without LibTorch.
#include <cstdint>
#include <vector>

#include <cotdyn/meanfield/committee/parameters.hpp>
#include <cotdyn/simulation/device.hpp>

namespace cotdyn::simulation::committee {

struct CommitteeSettings {
  int N = 500;                                                        // input dimension
  int M = 2;                                                          // teacher hidden units
  int K = 2;                                                          // student hidden units
  meanfield::committee::Activation activation = meanfield::committee::Activation::erf;
  double eta = 0.5;                                                   // first-layer learning rate
  double eta_v = 0.0;                                                 // second layer (0: fixed)
  double sigma = 0.0;                                                 // label-noise std
  double kappa = 0.0;                                                 // weight decay (key weight_decay)
  double init_scale = 0.1;                                            // std s of w_k's components
  std::vector<double> v0 = {1.0};      // student second layer at t = 0: one value for all units, or K
  std::vector<double> v_star = {1.0};  // teacher second layer (key teacher_v): one value for all units, or M
  int batch = 1;                     // B inputs per step, their gradients averaged (§8.2); t = steps / N
  Precision dtype = Precision::float64;  // the weights' and inputs' precision (measurements in double)
  DeviceKind device = DeviceKind::cpu;   // "cuda": the tensor step on the device (§8.2)
  int seeds = 5;                                                      // seeds trained side by side
  std::uint64_t base_seed = 0;                                        // seed e uses base_seed + e
  int test_size = 10000;                                              // P, test inputs
  std::uint64_t test_seed = 0;  // the test inputs' own stream, shared by all seeds and runs
  int threads = 1;              // LibTorch intra-op threads; 0 = the library's default

  // v0 and v_star with one entry per unit (a single value repeated).
  Eigen::VectorXd v0_vector() const;
  Eigen::VectorXd v_star_vector() const;
  // The theory's parameters for the same model.
  meanfield::committee::Parameters parameters() const;
};

// Throws std::invalid_argument naming the key (committee.<field>), its value and what is allowed.
void validate(const CommitteeSettings& settings);

}  // namespace cotdyn::simulation::committee
