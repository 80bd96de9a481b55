#pragma once
// The settings of the Boolean-DAG experiment (docs/models/natbool.md §3): the task, the regimes
// trained side by side, the transformer, the training protocol and the evaluation. Torch-free, so a
// config can be checked without LibTorch.
#include <cstdint>
#include <vector>

#include <cotdyn/simulation/natbool/generator.hpp>
#include <cotdyn/simulation/transformer/settings.hpp>

namespace cotdyn::simulation::natbool {

// A seed has learned when its held-out accuracy reaches this (docs/models/natbool.md §3.2): the
// stopping rule of a regime and the steps99 of compare.
inline constexpr double kReachedAccuracy = 0.99;

struct NatboolSettings {
  int m = 12;
  int r = 4;
  Shape shape = Shape::balanced;
  std::vector<Regime> regimes = all_regimes();
  int d = 32, heads = 4, layers = 2;
  int batch = 128;          // fresh training inputs per member and step
  double lr = 1e-3;         // Adam, constant, no weight decay, no clipping
  std::int64_t cap = 800;   // step cap
  std::int64_t eval_every = 50;
  int n_test = 256;         // held-out inputs per member
  int seeds = 3;            // members; member e has generator seed base_seed + e
  std::uint64_t base_seed = 0;

  Parameters task(int member) const { return {m, r, shape, base_seed + std::uint64_t(member)}; }
  int gates() const { return r - 1; }
  // The transformer of every regime at this r: vocabulary 4, 2 outputs, m + G + 2 learned positions.
  transformer::TransformerSettings network() const;
  transformer::OptimizerSettings optimizer() const;
  // The member seeds (base_seed + e), also the seeds of each member's initial weights.
  std::vector<std::uint64_t> member_seeds() const;
};

// The regimes that run at this r: at G = 1 (r = 2) explicit CoT is the direct regime (same sequence,
// same target) and the latent regimes have no intermediate state, so only `direct` runs there.
std::vector<Regime> regimes_run(const NatboolSettings& s);

// Throws std::invalid_argument naming the key (natbool.<field>), its value and what is allowed.
void validate(const NatboolSettings& s);

}  // namespace cotdyn::simulation::natbool
