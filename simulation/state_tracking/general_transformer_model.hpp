#pragma once
// The one-block model of docs/theory.md §2 with its six restrictions liftable one by one (the
// [ablation] switches, docs/theory.md §11): the general model. Every weight is a real tensor trained by
// autograd through torch::optim (optimizer.hpp), batched over E seeds (leading dimension). With every
// switch off it computes the same function and takes the same SGD step as TensorLogicModel (tested to
// 1e-9 in float64). Its parts, one file each: RoPE (rope.hpp), the attention (here), and the logic
// module (logic_module.hpp: bilinear_logic.hpp, mlp_logic.hpp).
//
// Tokens, positions and queries are those of docs/theory.md §1: actions a_1..a_L at positions 1..L,
// states s_0..s_{L-1} at L+1..2L (s_L is never read), and the query of step t (1..L) at position
// L+t holds s_{t-1} and predicts s_t.
//
// Attention output and logic input are written in token-type coordinates: with T token types (the K
// actions, plus the n states when the attention is causal), a query's attention output is
// v = sum_tau c_tau z_tau, where c_tau is its total attention weight on tokens of type tau and z_tau
// = W_O W_V y_tau the type's value (y_tau = e_a or u_s; W_O W_V = I without causal attention). Every
// logic module reads (v, x = u_{s_cur}) through these coordinates (logic_module.hpp).
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <cotdyn/simulation/state_tracking/ablation_settings.hpp>
#include <cotdyn/simulation/state_tracking/logic_module.hpp>
#include <cotdyn/simulation/state_tracking/network.hpp>

namespace cotdyn::simulation {

class GeneralTransformerModel : public StateTrackingNetwork {
 public:
  // init: the draws of the solvable model (U, E, W_Q, W_K), so that all switches off starts where the
  // solvable model starts. Draws the model needs beyond those (MLP weights, a random initial logic)
  // come from a second stream per seed, derived from `seeds` (one entry per seed of `init`).
  GeneralTransformerModel(const ModelInitialisation& init, const std::vector<std::uint64_t>& seeds, int L,
                          const AblationSettings& ablation, const at::TensorOptions& options);

  const AblationSettings& ablation() const { return ablation_; }
  // The unembedding [E, n, d]: U itself unless train_embeddings.
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
  // The values z_tau = W_O W_V y_tau of the token types, [E, token_types(), d].
  at::Tensor value_basis() const;

  // The logic module prepared for a value basis, and its logits [E, Q, n] for type weights c [E, Q,
  // types] and current states [E, Q] (int64).
  PreparedLogic prepare_logic(const at::Tensor& value_basis) const;
  at::Tensor logic_logits(const PreparedLogic& logic, const at::Tensor& type_weights,
                          const at::Tensor& current_state) const;

  // Logits [E, N, steps, n] of the queries of attend(), and their attention.
  at::Tensor logits(const at::Tensor& actions, const at::Tensor& state_tokens, int first_step, int steps,
                    Attention* attention = nullptr) const;

  // M of the beacon parts; N of W_Q b and W_K b.
  Retrieval retrieval() const override;
  // Logit-space logic tensor T[e, s', a, s] (docs/theory.md §3), probed: the logits of s' when the logic
  // module receives v = e_a as attention output and x = u_s as current token (current embeddings and
  // unembedding). Works for every logic module.
  at::Tensor logit_tensor() const override;
  // Dual-basis coefficients C[e, s', a, s] of the bilinear form between attention output and current
  // state (docs/theory.md §3), for the bilinear logics when d >= n; an undefined tensor otherwise.
  at::Tensor coefficients() const override;
  // The measured attention weight on the correct key; the logits of the logic module (T is not read).
  TeacherForced teacher_forced(const EvaluationSet& evaluation, const at::Tensor& T) const override;
  // The prediction for step t becomes the state token of position L + t + 1 (it enters the keys with
  // causal attention and the query with content_qk).
  at::Tensor rollout(const EvaluationSet& evaluation, const TeacherForced& teacher_forced,
                     const at::Tensor& T) const override;
  // sum_tau c_tau z_tau over the value basis (with causal attention the state tokens' values too).
  at::Tensor attention_output(const EvaluationSet& evaluation, const TeacherForced& teacher_forced) const override;
  // The MLP logic's gates on the teacher-forced queries; undefined for the bilinear logics.
  at::Tensor hidden_gates(const EvaluationSet& evaluation) const override;
  at::Tensor loss(const at::Tensor& actions, const at::Tensor& states, const at::Tensor& targets) const override;

  // "" when every weight of seed e is finite, else the name of the first that is not.
  std::string nonfinite_weight(int e) const override;

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
  // Token vectors y_tau [E, K + n, d]: action embeddings, then state embeddings.
  at::Tensor type_vectors() const;
  // The teacher-forced queries' type weights c [E, N L, types] and current states [E, N L].
  std::pair<at::Tensor, at::Tensor> teacher_forced_inputs(const EvaluationSet& evaluation) const;

  AblationSettings ablation_;
  at::Tensor unembedding_;
  at::Tensor query_weight_, key_weight_, value_weight_, output_weight_;
  std::unique_ptr<LogicModule> logic_;
  at::Tensor beacon_;  // [d], first standard basis vector
  // cos and sin of (i - j) theta_m for the offsets i - j = 1 - L .. 2L - 1 of a query at position i
  // and a key at position j, [d/2, 3L - 1] (rope.hpp).
  at::Tensor offset_cos_, offset_sin_;
};

}  // namespace cotdyn::simulation
