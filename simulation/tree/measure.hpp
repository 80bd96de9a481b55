#pragma once
// Measurements of the simulated tree network from its weights, per seed (docs/models/tree.md §3 and
// §10): the 12 order parameters per head in logit and in coefficient space, and, on a fixed
// evaluation set of unseen trees, the retrieval masses, loss, margins, per-step accuracy and the
// exact match of the rollout.
#include <string>
#include <vector>

#include <torch/torch.h>

#include <cotdyn/simulation/tree/network.hpp>
#include <cotdyn/simulation/tree/settings.hpp>

namespace cotdyn::simulation::tree {

// Class means of tables [E, H, 6, N, N]: [E, H, 12] in the order of docs/models/tree.md §3
// (entry 2k + c: c = 0 the diagonal mean of table k, c = 1 its off-diagonal mean).
torch::Tensor class_means(const torch::Tensor& tables);

// The observed columns:
//  * head<h>_<name>: the 12 order parameters of each head in coefficient space (C; NaN for the tensor
//    storage at d < N), the space of the plain ODE;
//  * head<h>_<name>_logit: the same in logit space (U W U^T, the definition of docs/models/tree.md §3),
//    the space of the kappa-ODE;
//  * head<h>_m_B, head<h>_m_F (forward task), loss, step_acc, exact_acc, min_margin, margin_q<q>, all
//    on the evaluation set of unseen trees;
//  * for the forward task, forward_exact_acc (the D F-stage outputs of the rollout all right).
std::vector<std::string> column_names(const TreeSettings& settings);

// Evaluation-set quantities per seed [E] (per head [E, H], per query [E, Q]).
struct Evaluation {
  torch::Tensor loss;                 // teacher-forced cross-entropy, mean over samples and queries
  torch::Tensor accuracy;             // teacher-forced: fraction of queries with argmax z = target
  torch::Tensor margins;              // [E, Q]: mean over samples of z_t - max_{y != t} z_y
  torch::Tensor mass_B, mass_F;       // [E, H]: retrieval masses (mass_F NaN for the backward task)
  torch::Tensor exact_match;          // rollout: all Q outputs right
  torch::Tensor forward_exact_match;  // rollout: the D F-stage outputs right (NaN for the backward task)
};
// Predictions are argmax over all N symbols, ties to the lowest symbol. Evaluated on the logit tables
// sample by sample (table_kernel.hpp), one task per seed, `threads` at a time (for_each_seed).
Evaluation evaluate(const TreeNetworkImpl& network, const std::vector<Sample>& samples, int threads = 1);

// One row per seed in the order of column_names.
std::vector<std::vector<double>> measure(const TreeNetworkImpl& network, const TreeSettings& settings,
                                         const std::vector<Sample>& evaluation_set);

}  // namespace cotdyn::simulation::tree
