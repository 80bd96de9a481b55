#pragma once
// The one-layer, H-head attention network of docs/models/tree.md §2, batched over E seeds, in both
// storages of §10: the d x d blocks W (tensor) or the N x N coefficient tables C
// with W = U^T C U (coefficients). Double precision throughout.
//
// Block order of a head, used for W, C and the logit tables M: k = 0 (B, X), 1 (B, Y), 2 (F, X),
// 3 (F, Y) -- the query-key block (tau, s) is k = 2 tau + s -- then 4 (O, X) and 5 (O, Y), k = 4 + s.
// Order parameter 2k + c of docs/models/tree.md §3 is the class mean c (0 diagonal, 1 off-diagonal)
// of table k.
#include <vector>

#include <torch/torch.h>

#include <cotdyn/simulation/tree/settings.hpp>
#include <cotdyn/simulation/tree/task.hpp>

namespace cotdyn::simulation::tree {

inline constexpr int blocks_per_head = 6;

// One generator per seed, seeded base_seed + e: the embeddings and the iid part of the init.
std::vector<at::Generator> seed_generators(const TreeSettings& settings);

// Samples as index tensors, one set of B samples per seed. NONE (the goal token's X) is -1.
struct Batch {
  torch::Tensor x, y;     // [E, B, T] long: the X and Y slots of every token
  torch::Tensor targets;  // [E, B, Q] long
  std::int64_t seeds() const { return x.size(0); }
  std::int64_t size() const { return x.size(1); }
};
// samples[e][b]: sample b of seed e.
Batch make_batch(const std::vector<std::vector<Sample>>& samples);

// The fixed query structure of a task: query q sits at position E + q (edges E), stage 0 (B) for
// q < D and 1 (F) after, and sees the keys j <= E + q.
struct QueryLayout {
  explicit QueryLayout(const TreeTask& task);
  int queries = 0, tokens = 0, edges = 0, depth = 0;
  torch::Tensor positions;  // [Q] long
  torch::Tensor stage;      // [Q] long
  torch::Tensor visible;    // [Q, T] bool: j <= i_q
};

// The forward pass by table look-ups (the exact cheap implementation, docs/models/tree.md §2): from
// the logit tables M [E, H, 6, N, N] (M[x, a] = u_x^T W u_a), the attention [E, H, B, Q, T] of every
// head and the logits z [E, B, Q, N]. Differentiable with respect to M treated as a free table: the
// autograd reference of the closed-form step and evaluation (table_kernel.hpp), which training uses.
struct TablePass {
  torch::Tensor attention;
  torch::Tensor logits;
};
TablePass table_forward(const torch::Tensor& M, const Batch& batch, const QueryLayout& layout);

// Cross-entropy -log softmax(z)[target] averaged over the B Q queries of each seed: [E].
torch::Tensor loss_per_seed(const torch::Tensor& logits, const torch::Tensor& targets);

class TreeNetworkImpl : public torch::nn::Module {
 public:
  // Draws from each seed's generator in this order: U (N x d, rows N(0, I_d) normalised to 1), then,
  // if init_scale > 0, the iid W-space init of the four query-key and the two output blocks of every
  // head (entries N(0, init_scale^2/d)). Then W_OY += eps_h U^T U; the coefficient storage holds
  // C = G^-1 (U W(0) U^T) G^-1 of the same W(0), i.e. C_OY = eps_h I without the iid part.
  TreeNetworkImpl(const TreeSettings& settings, std::vector<at::Generator>& generators);

  // Teacher-forced logits z [E, B, Q, N]: the tensor storage evaluates S(i, j) = tok_i^T W_QK tok_j and
  // z_i = U sum_h sum_j alpha_ij W_OV tok_j on the token vectors; the coefficient storage uses
  // table_forward on G C G, detached from C (autograd through C would train another model).
  torch::Tensor forward(const Batch& batch);

  // Logit tables M = U W U^T or G C G [E, H, 6, N, N], detached.
  torch::Tensor logit_tables() const;
  // Coefficient tables [E, H, 6, N, N]: C, or G^-1 (U W U^T) G^-1 for the tensor storage (NaN if d < N).
  torch::Tensor coefficient_tables() const;
  // The 4d-dimensional forms of seed e, head h: W_QK [4d, 4d] and W_OV [d, 4d] (tensor storage).
  torch::Tensor qk_matrix(int e, int h) const;
  torch::Tensor ov_matrix(int e, int h) const;
  // Token vectors [X | Y | QB | QF] of a batch: [E, B, T, 4d].
  torch::Tensor token_vectors(const Batch& batch) const;

  Storage storage;
  int N, d, H, E;
  QueryLayout layout;
  torch::Tensor U;     // buffer [E, N, d]
  torch::Tensor gram;  // buffer G = U U^T [E, N, N]
  torch::Tensor W_qk;  // parameter [E, H, 2 (tau), 2 (s), d, d] (tensor storage)
  torch::Tensor W_ov;  // parameter [E, H, 2 (s), d, d] (tensor storage)
  torch::Tensor C;     // parameter [E, H, 6, N, N] (coefficient storage)
};
TORCH_MODULE(TreeNetwork);

}  // namespace cotdyn::simulation::tree
