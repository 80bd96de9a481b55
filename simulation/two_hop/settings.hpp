#pragma once
// The settings of the two-hop experiment (docs/models/two_hop.md §7): the task (generated, or a
// dataset directory in the public format), the two arms trained side by side, the transformer and its
// training protocol, and the evaluation. Torch-free, so a config can be checked without LibTorch.
#include <cstdint>
#include <string>
#include <vector>

#include <cotdyn/simulation/transformer/settings.hpp>
#include <cotdyn/simulation/two_hop/generator.hpp>
#include <cotdyn/simulation/two_hop/task_data.hpp>

namespace cotdyn::simulation::two_hop {

// The arms a run trains: CoT and no-CoT, side by side.
const std::vector<Arm>& all_arms();

// The first steps to this accuracy on the trained two-hops (train_inferred) is P-b1's convergence
// measure (docs/models/two_hop.md §8).
inline constexpr double kConvergedAccuracy = 0.9;

struct TwoHopSettings {
  Parameters task;                // generated data; its seed is train.seed (every member sees the same data)
  std::string dataset;            // "" = generated; else a directory in the public format
  int layers = 4, width = 64, heads = 4;
  std::int64_t steps = 1500;      // AdamW updates
  std::int64_t eval_every = 100;  // evaluations at 0, eval_every, ..., and after the last update
  int batch = 256;                // training rows per member and update, uniform with replacement
  double lr = 2e-3;
  std::int64_t warmup = 100;      // linear warm-up of lr over the first updates
  double weight_decay = 0.1;      // AdamW, on matrices and tables only
  double clip_norm = 0;           // > 0: each member's gradient norm clipped to this
  int lens_items = 300;           // logit lens on the first lens_items test_inferred_iid items
  int seeds = 2;                  // members; member e: initial weights and batches from base_seed + e
  std::uint64_t base_seed = 0;

  // The transformer of both arms for a vocabulary of `vocabulary` tokens: tied unembedding, 4 learned
  // positions (5 with the end token).
  transformer::TransformerSettings network(int vocabulary, bool end_token = false) const;
  transformer::OptimizerSettings optimizer() const;
  std::vector<std::uint64_t> member_seeds() const;  // base_seed + e
};

// The positions of the per-block bypass probe (docs/models/two_hop.md §7), where an arm emits a
// two-hop's entities: "r2" (position 2 of `h r1 r2`: b under CoT, t without) for both arms, and "b"
// (position 3 of `h r1 r2 b`: t) for CoT only.
const std::vector<std::string>& bypass_positions(Arm arm);
// bypass_<position>_<arm>_<block>, block 1 ... layers.
std::string bypass_column(const std::string& position, Arm arm, int block);

// The observed columns, per arm A (cot, no_cot): loss_A (the last update's training loss; NaN before
// the first), <probe>_A for every probe_names() set (greedy accuracy; NaN when the task data lacks
// the set), bridge_ood_A (CoT: b̂ right on test_inferred_ood; NaN for no-CoT), then the logit lens
// on the first lens_items test_inferred_iid items, l = 0 ... layers: lens_b_r1_A_l and lens_b_r2_A_l
// (MRR of b at r1 and r2), and for CoT lens_t_b_A_l (MRR of t at b). After both arms' columns, on the
// same items, the per-block bypass: per arm, per bypass_positions(arm), bypass_column(position, arm, l)
// for l = 1 ... layers.
std::vector<std::string> column_names(const TwoHopSettings& settings);

// Throws std::invalid_argument naming the key (two_hop.<field>), its value and what is allowed. The
// experiment needs ID and OOD facts, so 0 < ood_ratio < 1 (the generator alone allows 0 and 1).
void validate(const TwoHopSettings& s);

// The task data of a run: read from settings.dataset, or generated from settings.task with seed
// base_seed (every member trains on the same data). Throws std::invalid_argument for a dataset that
// does not parse (naming the file) and for a λ that asks for more training two-hops than the
// generated graph has (naming two_hop.lambda and the largest λ it allows).
TaskData task_data(const TwoHopSettings& settings);

}  // namespace cotdyn::simulation::two_hop
