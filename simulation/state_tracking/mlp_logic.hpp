#pragma once
// The MLP logic module (ablation.logic_module = "mlp", docs/theory.md §11.1) on the residual stream
// r = v + x: logits U_out (W_2 f(W_1 r + b_1) / sqrt(width) + b_2). The hidden features carry
// 1/sqrt(width) (NTK scaling, folded into the readout): then, like |v (x) x|^2 = O(1) for the bilinear
// logic, |features|^2 = O(1), and an SGD step eta_W / d moves the logits by O(eta_W / d) on the same
// t = steps / d clock; without it the step would be width times larger.
#include <cotdyn/simulation/state_tracking/logic_module.hpp>

namespace cotdyn::simulation {

class MlpLogic : public LogicModule {
 public:
  // Registers W_1 [E, width, d], b_1 [E, width], W_2 [E, d, width] and b_2 [E, d] (zero) on owner.
  MlpLogic(torch::nn::Module& owner, int seeds, int d, int width, MlpActivation activation,
           const at::TensorOptions& options);

  // Factored so that a query costs (types + n) x width instead of 2 d x width.
  PreparedLogic prepare(const at::Tensor& value_basis, const at::Tensor& state_embedding,
                        const at::Tensor& unembedding) const override;
  // No bilinear form: undefined.
  at::Tensor coefficients(const at::Tensor&, const at::Tensor&, const at::Tensor&) const override { return {}; }
  at::Tensor output_weight() const override { return second_weight_; }
  // W_1, drawn iid N(0, 1/2): the probe inputs r = e_a + u_s have |r|^2 ~ 2, so pre-activations start
  // ~ N(0, 1), where the activation is non-linear (with N(0, 1/d) they would be O(d^-1/2): a linear map).
  at::Tensor first_layer() const override { return first_weight_; }
  // W_1 r + b_1 > 0, in chunks of queries as logits() (a bool per unit and query).
  at::Tensor hidden_gates(const PreparedLogic& logic, const at::Tensor& type_weights,
                          const at::Tensor& current_state) const override;

 protected:
  at::Tensor logits_of_chunk(const PreparedLogic& logic, const at::Tensor& type_weights,
                             const at::Tensor& current_state) const override;

 private:
  int width_;
  MlpActivation activation_;
  at::Tensor first_weight_, first_bias_;    // W_1 [E, width, d], b_1 [E, width]
  at::Tensor second_weight_, second_bias_;  // W_2 [E, d, width], b_2 [E, d]
};

}  // namespace cotdyn::simulation
