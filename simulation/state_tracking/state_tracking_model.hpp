#pragma once
// The one-block model of docs/theory.md §2, batched over E seeds (every tensor has a leading seed
// dimension). This base class holds what both logic storages share: the fixed unit-norm state and
// action embeddings (tied unembedding), the RoPE tables with period-L frequencies, and the
// content-free attention masked to the action segment. The logic module lives in the subclasses:
// CoefficientLogicModel (coefficient form) and TensorLogicModel (full d x d x d tensor).
#include <cstdint>
#include <vector>

#include <ATen/ATen.h>
#include <torch/nn/module.h>

namespace cotdyn::simulation {

// Random initial values of E seeds, drawn on the CPU in float64 from each seed's own generator in
// the order U, E, W_Q, W_K, so that both storages and a seed alone or in a batch start identically.
struct ModelInitialisation {
  at::Tensor state_embedding;   // U [E, n, d], rows of unit norm
  at::Tensor action_embedding;  // E [E, K, d], rows of unit norm
  at::Tensor query_weight;      // W_Q [E, d, d], iid N(0, sigma2/d)
  at::Tensor key_weight;        // W_K [E, d, d], iid N(0, sigma2/d)
};
ModelInitialisation draw_initialisation(int n, int K, int d, double sigma2, const std::vector<std::uint64_t>& seeds);

class StateTrackingModel : public torch::nn::Module {
 public:
  StateTrackingModel(const ModelInitialisation& init, int L, const at::TensorOptions& options);

  int seeds() const { return static_cast<int>(state_embedding_.size(0)); }
  int n() const { return static_cast<int>(state_embedding_.size(1)); }
  int K() const { return static_cast<int>(action_embedding_.size(1)); }
  int d() const { return static_cast<int>(state_embedding_.size(2)); }
  int L() const { return L_; }
  const at::Tensor& state_embedding() const { return state_embedding_; }
  const at::Tensor& action_embedding() const { return action_embedding_; }

  // q = W_Q b and k = W_K b, [E, d] (differentiable).
  virtual at::Tensor query() const = 0;
  virtual at::Tensor key() const = 0;

  // alpha[e, t-1, j-1]: weight of action position j for the query at position L+t (docs/theory.md §2),
  // computed with real rotations of q and k at their positions.
  at::Tensor attention() const;
  // w[e, b*L + t-1, a] = sum_j alpha_{tj} [a_j = a] for actions [E, count, L]: the attention output
  // in action coordinates, v = sum_a w_a e_a.
  at::Tensor action_weights(const at::Tensor& alpha, const at::Tensor& actions) const;

  // The storage's own forward pass: logits [E, Q, n] of queries with action weights w [E, Q, K]
  // and current states s_cur [E, Q] (int64).
  virtual at::Tensor logits(const at::Tensor& w, const at::Tensor& current_state) const = 0;

  // One online SGD step on actions [E, B, L] and states [E, B, L+1] (docs/theory.md §2: mean
  // cross-entropy over the B*L queries, learning rates eta_W/d and eta_A/d). Returns the per-seed
  // training loss [E] of the batch, before the update.
  virtual at::Tensor sgd_step(const at::Tensor& actions, const at::Tensor& states, double eta_W, double eta_A) = 0;

  // Logit-space tensor T[e, s', a, s] (docs/theory.md §3); z = sum_a w_a T[:, a, s_cur] exactly.
  virtual at::Tensor logit_tensor() const = 0;
  // Coefficient tensor C[e, s', a, s] (docs/theory.md sections 2-3).
  virtual at::Tensor coefficients() const = 0;

  // Whether all trained weights of seed e are finite; otherwise the name of the first bad one.
  virtual std::string nonfinite_weight(int e) const = 0;

 protected:
  // Per-seed mean cross-entropy [E] of logits [E, Q, n] against targets [E, Q].
  static at::Tensor cross_entropy(const at::Tensor& logits, const at::Tensor& target);
  // Flattened query views of a batch: current states and targets [E, B*L].
  static at::Tensor current_states(const at::Tensor& states);
  static at::Tensor next_states(const at::Tensor& states);

  int L_;
  at::Tensor state_embedding_;   // U [E, n, d]
  at::Tensor action_embedding_;  // E [E, K, d]
  at::Tensor rope_cos_query_, rope_sin_query_;  // [L, d/2] at query positions L+1..2L
  at::Tensor rope_cos_key_, rope_sin_key_;      // [L, d/2] at action positions 1..L
};

// Logits [E, Q, n] from a logit-space tensor T [E, n, K, n]: z[s'] = sum_a w_a T[s', a, s_cur].
at::Tensor logits_from_logit_tensor(const at::Tensor& T, const at::Tensor& w, const at::Tensor& current_state);

// X[e, s, a, t] = sum_{ijk} A1[e, s, i] W[e, i, j, k] A2[e, a, j] A3[e, t, k]: a logic tensor read
// in other bases, mode by mode (used for T and for the dual-basis coefficients).
at::Tensor contract_logic_modes(const at::Tensor& W, const at::Tensor& A1, const at::Tensor& A2, const at::Tensor& A3);

}  // namespace cotdyn::simulation
