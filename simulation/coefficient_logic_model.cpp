#include "coefficient_logic_model.hpp"

#include <ATen/core/grad_mode.h>

namespace cotdyn::simulation {

CoefficientLogicModel::CoefficientLogicModel(const ModelInitialisation& init, int L, const at::TensorOptions& options)
    : StateTrackingModel(init, L, options) {
  const auto beacon = at::zeros({init.query_weight.size(2)}, init.query_weight.options());
  beacon[0] = 1.0;  // b = first standard basis vector, so q = W_Q b is the first column exactly
  q_ = register_parameter("q", at::matmul(init.query_weight, beacon).to(options));
  k_ = register_parameter("k", at::matmul(init.key_weight, beacon).to(options));
  C_ = register_buffer("C", at::zeros({seeds(), n(), K(), n()}, options));
  state_gram_ = register_buffer("state_gram", at::bmm(state_embedding_, state_embedding_.transpose(1, 2)));
  action_gram_ = register_buffer("action_gram", at::bmm(action_embedding_, action_embedding_.transpose(1, 2)));
}

at::Tensor CoefficientLogicModel::logit_tensor() const {
  // T = G_u . C . G_e . G_u mode by mode (SPEC section 3); the Gram matrices are symmetric.
  return contract_logic_modes(C_, state_gram_, action_gram_, state_gram_);
}

at::Tensor CoefficientLogicModel::logits(const at::Tensor& w, const at::Tensor& current_state) const {
  return logits_from_logit_tensor(logit_tensor(), w, current_state);
}

at::Tensor CoefficientLogicModel::sgd_step(const at::Tensor& actions, const at::Tensor& states, double eta_W, double eta_A) {
  const double lr_logic = eta_W / d(), lr_attention = eta_A / d();
  at::Tensor s_cur = current_states(states), target = next_states(states);
  at::Tensor w = action_weights(attention(), actions);  // [E, Q, K], depends on q, k
  at::Tensor z = logits(w, s_cur);
  at::Tensor loss = cross_entropy(z, target);
  loss.sum().backward();  // seeds are independent: the sum gives each seed its own gradient

  at::NoGradGuard no_grad;
  const auto E = z.size(0), Q = z.size(1);
  // Explicit W-space SGD step in coefficients (SPEC section 2 and its trap: not autograd on C):
  // C[s', a, s] -= (eta_W/d) (1/BL) sum_queries (p - y)_{s'} w_a [s = s_cur].
  at::Tensor error = z.softmax(2);
  error.scatter_add_(2, target.unsqueeze(2), at::full({E, Q, 1}, -1.0, error.options()));
  at::Tensor input = at::zeros({E, Q, K(), n()}, error.options());
  input.scatter_(3, s_cur.view({E, Q, 1, 1}).expand({E, Q, K(), 1}), w.detach().unsqueeze(3));
  at::Tensor step = at::bmm(error.transpose(1, 2), input.view({E, Q, K() * n()}));
  C_.sub_(step.view_as(C_), lr_logic / Q);

  q_.sub_(q_.grad(), lr_attention);
  k_.sub_(k_.grad(), lr_attention);
  q_.mutable_grad().zero_();
  k_.mutable_grad().zero_();
  return loss.detach();
}

std::string CoefficientLogicModel::nonfinite_weight(int e) const {
  if (!q_[e].isfinite().all().item<bool>()) return "q = W_Q b";
  if (!k_[e].isfinite().all().item<bool>()) return "k = W_K b";
  if (!C_[e].isfinite().all().item<bool>()) return "logic coefficients C";
  return "";
}

}  // namespace cotdyn::simulation
