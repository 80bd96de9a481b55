#pragma once
// Coefficient storage of the logic module (docs/theory.md §2, "exact cheap implementation"):
// W = sum C[s', a, s] u_{s'} (x) e_a (x) u_s, so the cost is independent of d beyond the Gram
// matrices. q and k are stored directly (q = W_Q b; SGD on W_Q moves q exactly as SGD on q).
// The SGD step is written out in closed form (no autograd): a small model is dominated by per-op
// overhead, and the tensor storage (autograd) checks this form in the tests. Beside C the model keeps
// P = C x_1 G_u x_2 G_e, which the step updates with C (coefficient_step.hpp); checkpoints hold both.
#include <cotdyn/simulation/seed_runner.hpp>
#include <cotdyn/simulation/state_tracking/state_tracking_model.hpp>

namespace cotdyn::simulation {

class CoefficientLogicModel : public StateTrackingModel {
 public:
  // threads: how many seeds step at once on the CPU (model.threads; SeedRunner).
  CoefficientLogicModel(const ModelInitialisation& init, int L, const at::TensorOptions& options, int threads = 1);

  at::Tensor query() const override { return q_; }
  at::Tensor key() const override { return k_; }
  at::Tensor logits(const at::Tensor& w, const at::Tensor& current_state) const override;
  bool trains_in_closed_form() const override { return true; }
  at::Tensor closed_form_step(const at::Tensor& actions, const at::Tensor& states, const at::Tensor& targets,
                              double eta_W, double eta_A) override;
  at::Tensor logit_tensor() const override;
  // The same step in device-agnostic tensor operations, which closed_form_step takes off the CPU (and
  // the tests hold the CPU step to on the CPU).
  at::Tensor closed_form_step_tensors(const at::Tensor& actions, const at::Tensor& states, const at::Tensor& targets,
                                      double eta_W, double eta_A);
  at::Tensor coefficients() const override { return C_; }
  std::string nonfinite_weight(int e) const override;
  void save(torch::serialize::OutputArchive& archive) const override;
  void load(torch::serialize::InputArchive& archive) override;

 private:
  // The same step on CPU tensors as plain loops per seed (coefficient_sgd_step): the step's few
  // thousand operations cost less than the dispatch of the ~50 tensor operations of the
  // device-agnostic form, which stays for other devices. Returns the loss [E].
  at::Tensor closed_form_step_cpu(const at::Tensor& actions, const at::Tensor& states, const at::Tensor& targets,
                                  double eta_W, double eta_A);

  at::Tensor q_, k_;           // [E, d], trained by closed_form_step
  at::Tensor C_;               // [E, n, K, n]: C[s', a, s], stored [E, s, a, s'], trained by the explicit update
  at::Tensor P_;               // [E, n, K, n]: P[sigma, a', s''] = (C x_1 G_u x_2 G_e), kept with C
  at::Tensor state_gram_;      // G_u = U U^T [E, n, n]
  at::Tensor action_gram_;     // G_e = E E^T [E, K, K]
  at::Tensor residue_cos_, residue_sin_;  // cos(r theta_m), sin(r theta_m) [d/2, L]
  at::Tensor lag_cos_, lag_sin_;          // the same [L, d/2]
  at::Tensor lag_index_;       // (t - r) mod L for t, r in [L]: the action at lag r of query t

  at::Tensor partial_logits() const;  // P from C
  bool stored_by_state() const;       // C_ a view of [E, s, a, s'] in memory
  SeedRunner seed_runner_;
};

}  // namespace cotdyn::simulation
