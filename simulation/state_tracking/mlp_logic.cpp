#include <cotdyn/simulation/state_tracking/mlp_logic.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

namespace cotdyn::simulation {

namespace {
at::Tensor activate(MlpActivation activation, const at::Tensor& x) {
  switch (activation) {
    case MlpActivation::gelu: return at::gelu(x);
    case MlpActivation::relu: return at::relu(x);
    case MlpActivation::tanh: return at::tanh(x);
    case MlpActivation::silu: return at::silu(x);
  }
  return x;
}
}  // namespace

MlpLogic::MlpLogic(torch::nn::Module& owner, int seeds, int d, int width, MlpActivation activation,
                   const at::TensorOptions& options)
    : width_(width), activation_(activation) {
  first_weight_ = owner.register_parameter("W_1", at::zeros({seeds, width, d}, options));
  first_bias_ = owner.register_parameter("b_1", at::zeros({seeds, width}, options));
  second_weight_ = owner.register_parameter("W_2", at::zeros({seeds, d, width}, options));
  second_bias_ = owner.register_parameter("b_2", at::zeros({seeds, d}, options));
}

PreparedLogic MlpLogic::prepare(const at::Tensor& value_basis, const at::Tensor& state_embedding,
                                const at::Tensor& unembedding) const {
  PreparedLogic logic;
  logic.value_hidden = at::matmul(value_basis, first_weight_.transpose(1, 2));
  logic.state_hidden = at::baddbmm(first_bias_.unsqueeze(1), state_embedding, first_weight_.transpose(1, 2));
  logic.readout = at::bmm(unembedding, second_weight_) / std::sqrt(static_cast<double>(width_));
  logic.readout_bias = at::bmm(unembedding, second_bias_.unsqueeze(2)).squeeze(2);
  return logic;
}

at::Tensor MlpLogic::hidden_gates(const PreparedLogic& logic, const at::Tensor& type_weights,
                                  const at::Tensor& current_state) const {
  const std::int64_t chunk = 2048, Q = type_weights.size(1);
  std::vector<at::Tensor> parts;
  for (std::int64_t start = 0; start < Q; start += chunk) {
    const auto size = std::min(chunk, Q - start);
    parts.push_back(at::baddbmm(gather_rows(logic.state_hidden, current_state.narrow(1, start, size)),
                                type_weights.narrow(1, start, size), logic.value_hidden)
                        .gt(0));
  }
  return at::cat(parts, 1);
}

at::Tensor MlpLogic::logits_of_chunk(const PreparedLogic& logic, const at::Tensor& type_weights,
                                     const at::Tensor& current_state) const {
  at::Tensor hidden = at::baddbmm(gather_rows(logic.state_hidden, current_state), type_weights, logic.value_hidden);
  return at::baddbmm(logic.readout_bias.unsqueeze(1), activate(activation_, hidden),
                     logic.readout.transpose(1, 2));  // [E, Q, n']
}

}  // namespace cotdyn::simulation
