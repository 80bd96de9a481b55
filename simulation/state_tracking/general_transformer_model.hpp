#pragma once
// The one-block model of docs/theory.md §2 with its six restrictions liftable one by one (the
// [ablation] switches): the general model. Every weight is a real tensor trained by autograd,
// batched over E seeds (leading dimension). With every switch off it computes the same function and
// takes the same SGD step as TensorLogicModel (tested to 1e-9 in float64).
//
// Tokens, positions and queries are those of docs/theory.md §1: actions a_1..a_L at positions 1..L,
// states s_0..s_{L-1} at L+1..2L (s_L is never read), and the query of step t (1..L) at position
// L+t holds s_{t-1} and predicts s_t.
//
// Attention output and logic input are written in token-type coordinates: with T token types (the K
// actions, plus the n states when the attention is causal), a query's attention output is
// v = sum_tau c_tau z_tau, where c_tau is its total attention weight on tokens of type tau and z_tau
// = W_O W_V y_tau the type's value (y_tau = e_a or u_s; W_O W_V = I without causal attention). Every
// logic variant reads (v, x = u_{s_cur}) through these coordinates, so the d^3 work of a bilinear
// logic is done once per call for the T types, not once per query.
#include <cstdint>
#include <string>
#include <vector>

#include <cotdyn/simulation/state_tracking/ablation_settings.hpp>
#include <cotdyn/simulation/state_tracking/state_tracking_model.hpp>

namespace cotdyn::simulation {

// Learning rates of one update (docs/theory.md §2: eta_W / d and eta_A / d).
struct LearningRates {
  double eta_W = 10.0;
  double eta_A = 2.0;
};

class GeneralTransformerModel : public torch::nn::Module {
 public:
  // init: the draws of the solvable model (U, E, W_Q, W_K), so that all switches off starts where the
  // solvable model starts. Draws the model needs beyond those (MLP weights, a random initial logic)
  // come from a second stream per seed, derived from `seeds` (one entry per seed of `init`).
  GeneralTransformerModel(const ModelInitialisation& init, const std::vector<std::uint64_t>& seeds, int L,
                          const AblationSettings& ablation, const at::TensorOptions& options);

  int seeds() const { return static_cast<int>(state_embedding_.size(0)); }
  int n() const { return static_cast<int>(state_embedding_.size(1)); }
  int K() const { return static_cast<int>(action_embedding_.size(1)); }
  int d() const { return static_cast<int>(state_embedding_.size(2)); }
  int L() const { return L_; }
  const AblationSettings& ablation() const { return ablation_; }

  // Current state and action embeddings U [E, n, d], E [E, K, d] and unembedding [E, n, d] (U itself
  // unless train_embeddings).
  const at::Tensor& state_embedding() const { return state_embedding_; }
  const at::Tensor& action_embedding() const { return action_embedding_; }
  const at::Tensor& unembedding() const { return train_embeddings() ? unembedding_ : state_embedding_; }

  // Beacon parts of query and key, W_Q b and W_K b [E, d].
  at::Tensor beacon_query() const;
  at::Tensor beacon_key() const;
  // Score of the beacon-only query on the beacon-only key at the retrieval lag L, [E]: q . k under the
  // period-L schedule (docs/theory.md §3: M), q . Rot(-L theta) k in general.
  at::Tensor retrieval_score() const;

  struct Attention {
    at::Tensor scores;        // [E, N or 1, steps, keys]: pre-softmax, -inf where masked
    at::Tensor weights;       // softmax of scores; keys 0..L-1 are the action positions 1..L
    at::Tensor type_weights;  // c [E, N, steps, types]: weight summed per token type
  };
  // Attention of the queries of steps first_step .. first_step + steps - 1 (1-based) of sequences
  // with actions [E, N, L] and state tokens [E, N, L] (s_0 .. s_{L-1}; a causal query at step t reads
  // tokens up to s_{t-1} only, the rest may hold anything).
  Attention attend(const at::Tensor& actions, const at::Tensor& state_tokens, int first_step, int steps) const;
  // Number of token types attention can return: K, or K + n with causal attention.
  int token_types() const;

  // The logic module, prepared once for a value basis z_tau [E, types, d], then applied to queries:
  // the products that do not depend on the query (the d^3 contractions of a bilinear logic; the MLP's
  // first layer on the basis and the unembedding times its second layer) are done once.
  struct PreparedLogic {
    at::Tensor cross;          // bilinear: [E, n', types, n] logits of (z_tau, u_s); residual: both orders
    at::Tensor value_pair;     // bilinear_residual: [E, types^2, n'] logits of (z_tau, z_tau')
    at::Tensor state_pair;     // bilinear_residual: [E, n, n'] logits of (u_s, u_s)
    at::Tensor value_hidden;   // MLP: W_1 z_tau [E, types, width]
    at::Tensor state_hidden;   // MLP: W_1 u_s + b_1 [E, n, width]
    at::Tensor readout;        // MLP: unembedding times W_2 / sqrt(width) [E, n', width]
    at::Tensor readout_bias;   // MLP: unembedding times b_2 [E, n']
  };
  PreparedLogic prepare_logic(const at::Tensor& value_basis) const;
  // Logits [E, Q, n] of queries with type weights c [E, Q, types] and current states [E, Q] (int64).
  // Many queries (evaluation) go in chunks, and the bilinear readout by groups of equal current state.
  at::Tensor logic_logits(const PreparedLogic& logic, const at::Tensor& type_weights,
                          const at::Tensor& current_state) const;
  // The values z_tau = W_O W_V y_tau of the token types, [E, token_types(), d].
  at::Tensor value_basis() const;

  // Logits [E, N, steps, n] of the queries of attend(), and their attention.
  at::Tensor logits(const at::Tensor& actions, const at::Tensor& state_tokens, int first_step, int steps,
                    Attention* attention = nullptr) const;

  // One online step on actions [E, B, L] and states [E, B, L+1]: mean cross-entropy over the B*L
  // queries of each seed, gradients by autograd, then the update of the [ablation] switches (SGD or
  // Adam). Returns the per-seed loss [E] before the update.
  at::Tensor train_step(const at::Tensor& actions, const at::Tensor& states, const LearningRates& rates);

  // Logit-space logic tensor T[e, s', a, s] (docs/theory.md §3), probed: the logits of s' when the logic
  // module receives v = e_a as attention output and x = u_s as current token (current embeddings and
  // unembedding). Works for every logic variant.
  at::Tensor logit_tensor() const;
  // Dual-basis coefficients C[e, s', a, s] of the bilinear form between attention output and current
  // state (docs/theory.md §3), for the bilinear logics when d >= n; an undefined tensor otherwise.
  at::Tensor coefficients() const;

  // "" when every weight of seed e is finite, else the name of the first that is not.
  std::string nonfinite_weight(int e) const;

  // A trained weight by its name (W_Q, W_K, W_V, W_O, W, W_1, b_1, W_2, b_2, state_embedding,
  // action_embedding, unembedding), sharing the model's storage (tests). W is [E, j, i, k].
  at::Tensor weight(const std::string& name) const;

 private:
  bool train_embeddings() const { return ablation_.train_embeddings; }
  bool causal() const { return ablation_.causal_attention; }
  // Adds one random draw per seed: the MLP's first layer and/or a random initial logic.
  void draw_random_weights(const std::vector<std::uint64_t>& seeds, const at::TensorOptions& options);
  // Scales the logic's output weights so that the std of T over all its entries is logic_init (per seed).
  void scale_initial_logic();
  at::Tensor logic_logits_of_chunk(const PreparedLogic& logic, const at::Tensor& type_weights,
                                   const at::Tensor& current_state) const;
  // Token vectors y_tau [E, K + n, d]: action embeddings, then state embeddings.
  at::Tensor type_vectors() const;
  // The learning rate of a named parameter for SGD, and for Adam.
  double sgd_rate(const std::string& name, const LearningRates& rates) const;
  double adam_rate(const std::string& name, const LearningRates& rates) const;
  void update(const LearningRates& rates);

  int L_;
  AblationSettings ablation_;
  int hidden_ = 0;  // MLP width
  at::Tensor state_embedding_, action_embedding_, unembedding_;
  at::Tensor query_weight_, key_weight_, value_weight_, output_weight_;
  // Bilinear: W stored as [E, j, i, k] (attention-output slot j first, so that reading it on the few
  // value types is one matrix product; h_i = sum_jk W_ijk v_j x_k). MLP: second layer [E, d, width].
  at::Tensor logic_weight_;
  at::Tensor hidden_weight_, hidden_bias_;  // MLP first layer [E, width, d], [E, width]
  at::Tensor output_bias_;                  // MLP [E, d]
  at::Tensor beacon_;                       // [d], first standard basis vector
  // cos and sin of (i - j) theta_m for the offsets i - j = 1 - L .. 2L - 1 of a query at position i
  // and a key at position j, [d/2, 3L - 1]: RoPE scores depend on the offset only.
  at::Tensor offset_cos_, offset_sin_;
  at::Tensor adam_steps_;                   // Adam's step count (a buffer, so checkpoints keep it)
};

}  // namespace cotdyn::simulation
