#pragma once
// The linear teacher-student network, trained by online SGD for several seeds at once (plain C++:
// the contract's simulated system needs no LibTorch). Seed e draws its teacher, its initial student
// and its samples from one std::mt19937_64 seeded with base_seed + e. The teacher is scaled to
// w*.w*/N = T exactly; the student starts at zero (R = Q = 0).
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <cotdyn/simulation/simulated_system.hpp>

namespace cotdyn::testing::linear {

struct SystemSettings {
  int N = 200;
  int seeds = 2;
  std::uint64_t base_seed = 0;
  double eta = 0.5;
  double sigma = 0;
  double T = 1;
};

class LinearSystem final : public simulation::SimulatedSystem {
 public:
  explicit LinearSystem(const SystemSettings& settings);
  int num_seeds() const override { return settings_.seeds; }
  std::vector<double> train_step() override;
  const std::vector<std::string>& observable_names() const override { return names_; }
  std::vector<std::vector<double>> observe() override;  // R, Q, eps_g per seed
  std::string nonfinite_weight(int e) const override;
  void save(const std::string& directory) const override;
  void load(const std::string& directory) override;

 private:
  SystemSettings settings_;
  std::vector<std::string> names_ = {"R", "Q", "eps_g"};
  std::vector<std::vector<double>> teacher_, student_;
  std::vector<std::mt19937_64> generators_;
};

}  // namespace cotdyn::testing::linear
