#include <cotdyn/simulation/state_tracking/bilinear_logic.hpp>

namespace cotdyn::simulation {

BilinearLogic::BilinearLogic(torch::nn::Module& owner, int seeds, int d, bool residual, const at::TensorOptions& options)
    : residual_(residual) {
  weight_ = owner.register_parameter("W", at::zeros({seeds, d, d, d}, options));
}

PreparedLogic BilinearLogic::prepare(const at::Tensor& value_basis, const at::Tensor& state_embedding,
                                     const at::Tensor& unembedding) const {
  PreparedLogic logic;
  if (!residual_) {
    logic.cross = read_bilinear(weight_, unembedding, value_basis, state_embedding);
    return logic;
  }
  // W(r, r) with r = v + x: read W on the joint basis (values, states) in both slots.
  const auto E = value_basis.size(0), T = value_basis.size(1), n = state_embedding.size(1);
  at::Tensor basis = at::cat({value_basis, state_embedding}, 1);
  at::Tensor full = read_bilinear(weight_, unembedding, basis, basis);  // [E, n', T+n, T+n]
  at::Tensor values = full.narrow(2, 0, T), states = full.narrow(2, T, n);
  logic.value_pair = values.narrow(3, 0, T).reshape({E, n, T * T}).transpose(1, 2).contiguous();
  logic.cross = values.narrow(3, T, n) + states.narrow(3, 0, T).transpose(2, 3);
  logic.state_pair = states.narrow(3, T, n).diagonal(0, 2, 3).transpose(1, 2).contiguous();  // [E, n, n']
  return logic;
}

at::Tensor BilinearLogic::logits_of_chunk(const PreparedLogic& logic, const at::Tensor& type_weights,
                                          const at::Tensor& current_state) const {
  if (!residual_) return read_by_current_state(logic.cross, type_weights, current_state);
  const auto E = type_weights.size(0), Q = type_weights.size(1), T = type_weights.size(2);
  at::Tensor pairs = (type_weights.unsqueeze(3) * type_weights.unsqueeze(2)).reshape({E, Q, T * T});
  return at::baddbmm(gather_rows(logic.state_pair, current_state), pairs, logic.value_pair) +
         read_by_current_state(logic.cross, type_weights, current_state);
}

at::Tensor BilinearLogic::coefficients(const at::Tensor& output_dual, const at::Tensor& action_dual,
                                       const at::Tensor& state_dual) const {
  at::Tensor C = read_bilinear(weight_, output_dual, action_dual, state_dual);
  if (residual_) C = C + read_bilinear(weight_, output_dual, state_dual, action_dual).transpose(2, 3);
  return C;
}

}  // namespace cotdyn::simulation
