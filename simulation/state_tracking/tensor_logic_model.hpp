#pragma once
// Full-tensor storage of the logic module: the real transformer block of docs/theory.md §2 with
// W_Q, W_K (d x d), a beacon b, and the d x d x d logic tensor W, all gradients by autograd (trained
// through torch::optim, optimizer.hpp).
// Memory d^3 per seed: meant for moderate d and for checking the coefficient form.
#include <cotdyn/simulation/state_tracking/state_tracking_model.hpp>

namespace cotdyn::simulation {

class TensorLogicModel : public StateTrackingModel {
 public:
  TensorLogicModel(const ModelInitialisation& init, int L, const at::TensorOptions& options);

  at::Tensor query() const override;
  at::Tensor key() const override;
  at::Tensor logits(const at::Tensor& w, const at::Tensor& current_state) const override;
  at::Tensor logit_tensor() const override;
  // C by the dual bases U+ = U^T (U U^T)^-1 and E+ (docs/theory.md §3); needs d >= n.
  at::Tensor coefficients() const override;
  std::string nonfinite_weight(int e) const override;

  // The trained weights, for tests (finite-difference checks).
  const at::Tensor& logic_tensor() const { return W_; }
  const at::Tensor& query_weight() const { return W_Q_; }
  const at::Tensor& key_weight() const { return W_K_; }

 private:
  at::Tensor W_Q_, W_K_;  // [E, d, d]
  at::Tensor W_;          // [E, d, d, d], starts at zero
  at::Tensor beacon_;     // [d], first standard basis vector
};

}  // namespace cotdyn::simulation
