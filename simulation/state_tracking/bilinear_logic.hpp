#pragma once
// The bilinear logic module (docs/theory.md §2.3): logits U_out h with h_i = sum_jk W_ijk v_j x_k, the
// solvable model's form with a trained unembedding allowed; and its residual variant
// (ablation.logic_module = "bilinear_residual", docs/theory.md §11.1): h = W(r, r) with r = v + x.
// W is stored as [E, j, i, k] (attention-output slot j first, so that reading it on the few value types
// is one matrix product).
#include <cotdyn/simulation/state_tracking/logic_module.hpp>

namespace cotdyn::simulation {

class BilinearLogic : public LogicModule {
 public:
  // Registers W [E, d, d, d] (zero) on owner.
  BilinearLogic(torch::nn::Module& owner, int seeds, int d, bool residual, const at::TensorOptions& options);

  PreparedLogic prepare(const at::Tensor& value_basis, const at::Tensor& state_embedding,
                        const at::Tensor& unembedding) const override;
  // Residual: the (attention output, current state) channel is W(v, x) + W(x, v).
  at::Tensor coefficients(const at::Tensor& output_dual, const at::Tensor& action_dual,
                          const at::Tensor& state_dual) const override;
  at::Tensor output_weight() const override { return weight_; }

 protected:
  at::Tensor logits_of_chunk(const PreparedLogic& logic, const at::Tensor& type_weights,
                             const at::Tensor& current_state) const override;

 private:
  bool residual_;
  at::Tensor weight_;  // W [E, j, i, k]
};

}  // namespace cotdyn::simulation
