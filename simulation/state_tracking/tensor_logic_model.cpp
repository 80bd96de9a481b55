#include <cotdyn/simulation/state_tracking/tensor_logic_model.hpp>

#include <ATen/core/grad_mode.h>

namespace cotdyn::simulation {

TensorLogicModel::TensorLogicModel(const ModelInitialisation& init, int L, const at::TensorOptions& options)
    : StateTrackingModel(init, L, options) {
  W_Q_ = register_parameter("W_Q", init.query_weight.to(options));
  W_K_ = register_parameter("W_K", init.key_weight.to(options));
  W_ = register_parameter("W", at::zeros({seeds(), d(), d(), d()}, options));
  at::Tensor beacon = at::zeros({d()}, options);
  beacon[0] = 1.0;
  beacon_ = register_buffer("beacon", beacon);
}

at::Tensor TensorLogicModel::query() const { return at::matmul(W_Q_, beacon_); }
at::Tensor TensorLogicModel::key() const { return at::matmul(W_K_, beacon_); }

at::Tensor TensorLogicModel::logits(const at::Tensor& w, const at::Tensor& current_state) const {
  const auto E = w.size(0), Q = w.size(1);
  const int d = this->d(), n = this->n();
  at::Tensor v = at::bmm(w, action_embedding_);  // attention output sum_j alpha_j e_{a_j}, [E, Q, d]
  at::Tensor offset = at::arange(E, current_state.options()).mul_(n).unsqueeze(1);
  at::Tensor x = state_embedding_.reshape({E * n, d}).index_select(0, (current_state + offset).reshape({-1})).view({E, Q, d});
  // h_i = sum_jk W_ijk v_j x_k as one matrix product with the outer products v (x) x.
  at::Tensor outer = (v.unsqueeze(3) * x.unsqueeze(2)).view({E, Q, d * d});
  at::Tensor h = at::bmm(outer, W_.view({E, d, d * d}).transpose(1, 2));  // [E, Q, d]
  return at::bmm(h, state_embedding_.transpose(1, 2));                    // tied unembedding, [E, Q, n]
}

at::Tensor TensorLogicModel::logit_tensor() const {
  at::NoGradGuard no_grad;
  return contract_logic_modes(W_, state_embedding_, action_embedding_, state_embedding_);
}

at::Tensor TensorLogicModel::coefficients() const {
  at::NoGradGuard no_grad;
  // Rows of the dual bases: (U U^T)^-1 U [E, n, d] and (E E^T)^-1 E [E, K, d].
  at::Tensor state_dual = at::linalg_solve(at::bmm(state_embedding_, state_embedding_.transpose(1, 2)), state_embedding_);
  at::Tensor action_dual = at::linalg_solve(at::bmm(action_embedding_, action_embedding_.transpose(1, 2)), action_embedding_);
  return contract_logic_modes(W_, state_dual, action_dual, state_dual);
}

std::string TensorLogicModel::nonfinite_weight(int e) const {
  if (!W_Q_[e].isfinite().all().item<bool>()) return "W_Q";
  if (!W_K_[e].isfinite().all().item<bool>()) return "W_K";
  if (!W_[e].isfinite().all().item<bool>()) return "logic tensor W";
  return "";
}

}  // namespace cotdyn::simulation
