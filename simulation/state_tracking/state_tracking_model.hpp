#pragma once
// The solvable one-block model of docs/theory.md §2: the fixed unit-norm state and action embeddings
// (tied unembedding), the RoPE tables with period-L frequencies, and the content-free attention masked
// to the action segment. The logic module lives in the subclasses: CoefficientLogicModel (coefficient
// form) and TensorLogicModel (full d x d x d tensor).
#include <cotdyn/simulation/state_tracking/network.hpp>

namespace cotdyn::simulation {

class StateTrackingModel : public StateTrackingNetwork {
 public:
  StateTrackingModel(const ModelInitialisation& init, int L, const at::TensorOptions& options);

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

  Retrieval retrieval() const override;
  // The readout of the measurements is the logit tensor: z = sum_a w_a T[:, a, s_cur] exactly.
  TeacherForced teacher_forced(const EvaluationSet& evaluation, const at::Tensor& T) const override;
  // The attention does not read the states, so the rollout's action weights are the teacher-forced ones.
  at::Tensor rollout(const EvaluationSet& evaluation, const TeacherForced& teacher_forced,
                     const at::Tensor& T) const override;
  at::Tensor loss(const at::Tensor& actions, const at::Tensor& states, const at::Tensor& targets) const override;

 private:
  at::Tensor rope_cos_query_, rope_sin_query_;  // [L, d/2] at query positions L+1..2L
  at::Tensor rope_cos_key_, rope_sin_key_;      // [L, d/2] at action positions 1..L
};

// Logits [E, Q, n] from a logit-space tensor T [E, n, K, n]: z[s'] = sum_a w_a T[s', a, s_cur].
at::Tensor logits_from_logit_tensor(const at::Tensor& T, const at::Tensor& w, const at::Tensor& current_state);

// X[e, s, a, t] = sum_{ijk} A1[e, s, i] W[e, i, j, k] A2[e, a, j] A3[e, t, k]: a logic tensor read
// in other bases, mode by mode (used for T and for the dual-basis coefficients).
at::Tensor contract_logic_modes(const at::Tensor& W, const at::Tensor& A1, const at::Tensor& A2, const at::Tensor& A3);

}  // namespace cotdyn::simulation
