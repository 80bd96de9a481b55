#pragma once
// The one base of every state-tracking network (docs/theory.md §2-3), batched over E seeds (every
// tensor has a leading seed dimension): the solvable model in both storages (StateTrackingModel) and
// the general model of the [ablation] switches (GeneralTransformerModel). It holds what they share,
// the fixed or trained state and action embeddings, and declares what the measurements of
// docs/theory.md §3 and the training step read from any of them, so that both are written once
// (measure.hpp, optimizer.hpp).
#include <cstdint>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <torch/nn/module.h>

namespace cotdyn::simulation {

// Random initial values of E seeds, drawn on the CPU in float64 from each seed's own generator in
// the order U, E, W_Q, W_K, so that every network and a seed alone or in a batch start identically.
struct ModelInitialisation {
  at::Tensor state_embedding;   // U [E, n, d], rows of unit norm
  at::Tensor action_embedding;  // E [E, K, d], rows of unit norm
  at::Tensor query_weight;      // W_Q [E, d, d], iid N(0, sigma2/d)
  at::Tensor key_weight;        // W_K [E, d, d], iid N(0, sigma2/d)
};
ModelInitialisation draw_initialisation(int n, int K, int d, double sigma2, const std::vector<std::uint64_t>& seeds);

// The clean training targets of states [E, B, L+1]: query t predicts s_t, [E, B, L].
at::Tensor clean_targets(const at::Tensor& states);

// The evaluation sequences of the measurements (docs/theory.md §3).
struct EvaluationSet {
  at::Tensor actions;  // [N, L] int64
  at::Tensor states;   // [N, L+1] int64
};

class StateTrackingNetwork : public torch::nn::Module {
 public:
  int seeds() const { return static_cast<int>(state_embedding_.size(0)); }
  int n() const { return static_cast<int>(state_embedding_.size(1)); }
  int K() const { return static_cast<int>(action_embedding_.size(1)); }
  int d() const { return static_cast<int>(state_embedding_.size(2)); }
  int L() const { return L_; }
  const at::Tensor& state_embedding() const { return state_embedding_; }
  const at::Tensor& action_embedding() const { return action_embedding_; }

  // The beacon's attention score M at the retrieval lag and N = (|q|^2 + |k|^2) / 2 of its query and
  // key (docs/theory.md §3.1), each [E].
  struct Retrieval {
    at::Tensor score, norm;
  };
  virtual Retrieval retrieval() const = 0;

  // Logit-space tensor T[e, s', a, s] (docs/theory.md §3.2).
  virtual at::Tensor logit_tensor() const = 0;
  // Coefficient tensor C[e, s', a, s] (docs/theory.md §3.3); undefined where the network has none.
  virtual at::Tensor coefficients() const = 0;

  // The teacher-forced queries of the evaluation set (all N L at once, in the order sequence, step).
  struct TeacherForced {
    at::Tensor logits;          // z [E, N L, n]
    at::Tensor action_weights;  // w [E, N L, K]: the attention weight on the tokens of each action
    at::Tensor correct_weight;  // alpha [E]: the mean weight on the correct action (docs/theory.md §3.1)
  };
  // T is logit_tensor(), computed once per measurement.
  virtual TeacherForced teacher_forced(const EvaluationSet& evaluation, const at::Tensor& T) const = 0;
  // The autoregressive rollout from s_0: the network's own predictions fed back as the current state,
  // [E, N, L] (int64), the prediction for s_1 .. s_L.
  virtual at::Tensor rollout(const EvaluationSet& evaluation, const TeacherForced& teacher_forced,
                             const at::Tensor& T) const = 0;

  // The probes of docs/models/entropy.md read the logic module's input and hidden units on the
  // teacher-forced queries (the order of teacher_forced()):
  // the attention output v [E, N L, d], sum_b w_b e_b for the action weights of `teacher_forced` (the
  // general model with causal attention adds its state tokens' values, W_O W_V y per token type);
  virtual at::Tensor attention_output(const EvaluationSet& evaluation, const TeacherForced& teacher_forced) const;
  // the current tokens x = u_{s_cur} [E, N L, d];
  at::Tensor current_tokens(const EvaluationSet& evaluation) const;
  // the gates of the logic's hidden units, [E, N L, width] (bool: pre-activation > 0), undefined for a
  // logic without hidden units (every network but the general model's MLP logic).
  virtual at::Tensor hidden_gates(const EvaluationSet&) const { return {}; }

  // The per-seed training loss [E] of a batch, actions [E, B, L], states [E, B, L+1] (the inputs) and
  // targets [E, B, L] (clean_targets(states), or noisy ones, docs/theory.md §16): the mean cross-entropy
  // over the B L queries (docs/theory.md §2), differentiable in the trained weights.
  virtual at::Tensor loss(const at::Tensor& actions, const at::Tensor& states, const at::Tensor& targets) const = 0;

  // The documented exception to training through torch::optim (optimizer.hpp): a storage whose SGD
  // step is written out in closed form (the coefficient storage, docs/theory.md §2.4) takes it here,
  // with rates eta_W / d and eta_A / d, and returns the loss [E] before the update.
  virtual bool trains_in_closed_form() const { return false; }
  virtual at::Tensor closed_form_step(const at::Tensor& actions, const at::Tensor& states, const at::Tensor& targets,
                                      double eta_W, double eta_A);

  // The attention's weights (their rate is eta_A / d, docs/theory.md §2), by parameter name.
  static bool is_attention_weight(const std::string& name);

  // Whether all trained weights of seed e are finite; otherwise the name of the first bad one.
  virtual std::string nonfinite_weight(int e) const = 0;

 protected:
  // Registers U and E as buffers, or as parameters when `trainable`, on the options' dtype and device.
  StateTrackingNetwork(const ModelInitialisation& init, int L, const at::TensorOptions& options, bool trainable);

  // Per-seed mean cross-entropy [E] of logits [E, Q, n] against targets [E, Q].
  static at::Tensor cross_entropy(const at::Tensor& logits, const at::Tensor& target);
  // Flattened query views of a batch: current states [E, B*L] of states [E, B, L+1].
  static at::Tensor current_states(const at::Tensor& states);

  int L_;
  at::Tensor state_embedding_;   // U [E, n, d]
  at::Tensor action_embedding_;  // E [E, K, d]
};

}  // namespace cotdyn::simulation
