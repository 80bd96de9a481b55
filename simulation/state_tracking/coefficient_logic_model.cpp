#include <cotdyn/simulation/state_tracking/coefficient_logic_model.hpp>

#include <functional>
#include <vector>

#include <ATen/Dispatch.h>
#include <ATen/core/grad_mode.h>

#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include <cotdyn/simulation/state_tracking/coefficient_step.hpp>
#include <cotdyn/simulation/state_tracking/rope.hpp>

namespace cotdyn::simulation {

namespace {
// C in memory [E, s, a, s'] <-> the view [E, s', a, s]: the same permutation both ways.
at::Tensor swap_states(const at::Tensor& C) { return C.permute({0, 3, 2, 1}); }
}  // namespace

CoefficientLogicModel::CoefficientLogicModel(const ModelInitialisation& init, int L, const at::TensorOptions& options,
                                             int threads)
    : StateTrackingModel(init, L, options), seed_runner_(threads) {
  const auto beacon = at::zeros({init.query_weight.size(2)}, init.query_weight.options());
  beacon[0] = 1.0;  // b = first standard basis vector, so q = W_Q b is the first column exactly
  q_ = register_parameter("q", at::matmul(init.query_weight, beacon).to(options));
  k_ = register_parameter("k", at::matmul(init.key_weight, beacon).to(options));
  // C is stored by current state, [E, s, a, s'] in memory, so that the step's update of a column C[., ., s]
  // is contiguous; C_ is the view [E, s', a, s] that the rest of the model and the checkpoints see.
  C_ = register_buffer("C", swap_states(at::zeros({seeds(), n(), K(), n()}, options)));
  state_gram_ = register_buffer("state_gram", at::bmm(state_embedding_, state_embedding_.transpose(1, 2)));
  action_gram_ = register_buffer("action_gram", at::bmm(action_embedding_, action_embedding_.transpose(1, 2)));
  P_ = partial_logits();
  // Scores by residue r = (i - j) mod L: S_r = sum_m cos(r theta_m) a_m + sin(r theta_m) b_m with
  // a_m = q_2m k_2m + q_2m+1 k_2m+1 and b_m = q_2m k_2m+1 - q_2m+1 k_2m (q . Rot(-r theta) k).
  // rope_tables at positions 0 .. L-1 are the residues' tables, here [d/2, L].
  auto [residue_cos, residue_sin] = rope_tables(L, d(), 0, options);
  residue_cos_ = residue_cos.t().contiguous();
  residue_sin_ = residue_sin.t().contiguous();
  lag_cos_ = residue_cos.contiguous();
  lag_sin_ = residue_sin.contiguous();
  std::vector<std::int64_t> lag(static_cast<std::size_t>(L) * L);
  for (int t = 0; t < L; ++t)
    for (int r = 0; r < L; ++r) lag[t * L + r] = (t - r + L) % L;
  lag_index_ = at::tensor(lag, at::TensorOptions().dtype(at::kLong)).to(options.device());
}

at::Tensor CoefficientLogicModel::logit_tensor() const {
  // T = G_u . C . G_e . G_u mode by mode (docs/theory.md §3); the Gram matrices are symmetric.
  return contract_logic_modes(C_, state_gram_, action_gram_, state_gram_);
}

at::Tensor CoefficientLogicModel::partial_logits() const {
  // P[e, sigma, a', s''] = sum_{s', a} G_u[s'', s'] C[s', a, sigma] G_e[a, a'] (the Gram matrices are symmetric).
  return at::einsum("eps,esat,eab->etbp", {state_gram_, C_, action_gram_}).contiguous();
}

void CoefficientLogicModel::save(torch::serialize::OutputArchive& archive) const {
  StateTrackingModel::save(archive);
  archive.write("partial_logits", P_, /*is_buffer=*/true);
}

void CoefficientLogicModel::load(torch::serialize::InputArchive& archive) {
  StateTrackingModel::load(archive);
  // A checkpoint written before P was kept holds C alone; P follows from it.
  at::NoGradGuard no_grad;
  if (!archive.try_read("partial_logits", P_, /*is_buffer=*/true)) P_.copy_(partial_logits());
  // Reading C took the checkpoint's memory layout; the step needs C stored by current state again.
  if (!stored_by_state()) C_.set_(swap_states(swap_states(C_).contiguous()));
}

bool CoefficientLogicModel::stored_by_state() const {
  const std::int64_t column = K() * n();
  return C_.strides() == at::IntArrayRef({n() * column, 1, n(), column});
}

at::Tensor CoefficientLogicModel::logits(const at::Tensor& w, const at::Tensor& current_state) const {
  return logits_from_logit_tensor(logit_tensor(), w, current_state);
}

at::Tensor CoefficientLogicModel::closed_form_step(const at::Tensor& actions, const at::Tensor& states,
                                                   const at::Tensor& targets, double eta_W, double eta_A) {
  at::NoGradGuard no_grad;
  if (q_.device().is_cpu()) return closed_form_step_cpu(actions, states, targets, eta_W, eta_A);
  return closed_form_step_tensors(actions, states, targets, eta_W, eta_A);
}

at::Tensor CoefficientLogicModel::closed_form_step_tensors(const at::Tensor& actions, const at::Tensor& states,
                                                           const at::Tensor& targets, double eta_W, double eta_A) {
  at::NoGradGuard no_grad;
  const std::int64_t E = actions.size(0), B = actions.size(1), L = L_, Q = B * L, half = d() / 2;
  at::Tensor s_cur = current_states(states), target = targets.reshape({E, Q});

  // Attention by residue: every query sees each residue once, alpha_r = softmax_r S_r.
  at::Tensor q_planes = q_.view({E, half, 2}), k_planes = k_.view({E, half, 2});
  at::Tensor q0 = q_planes.select(2, 0), q1 = q_planes.select(2, 1);
  at::Tensor k0 = k_planes.select(2, 0), k1 = k_planes.select(2, 1);
  at::Tensor alpha = (at::mm(q0 * k0 + q1 * k1, residue_cos_) + at::mm(q0 * k1 - q1 * k0, residue_sin_)).softmax(1);
  // lagged[e, b, t, r] = a_{(t - r) mod L}, the action at lag r; w_a = sum of alpha_r over the lags
  // holding action a (a scatter, not a one-hot product: the step is dominated by per-op cost).
  at::Tensor lagged = actions.index_select(2, lag_index_).view({E, B, L, L});
  at::Tensor w = at::zeros({E, B, L, K()}, q_.options())
                     .scatter_add_(3, lagged, alpha.view({E, 1, 1, L}).expand({E, B, L, L}))
                     .view({E, Q, K()});

  // Each query's input as one vector over (a, s): x[a, s] = w_a [s = s_cur]. It carries the logits,
  // z = T x, and the W-space step below, each as one small matrix product per seed (gathering the
  // rows T[:, :, s_cur] per query instead costs E*Q tiny products).
  at::Tensor T = logit_tensor().reshape({E, n(), K() * n()});
  at::Tensor input = at::zeros({E, Q, K(), n()}, w.options());
  input.scatter_(3, s_cur.view({E, Q, 1, 1}).expand({E, Q, K(), 1}), w.unsqueeze(3));
  at::Tensor input_flat = input.view({E, Q, K() * n()});
  at::Tensor z = at::bmm(input_flat, T.transpose(1, 2));  // [E, Q, n]
  at::Tensor log_p = z.log_softmax(2);
  at::Tensor loss = -log_p.gather(2, target.unsqueeze(2)).squeeze(2).mean(1);
  at::Tensor error = log_p.exp_();  // becomes p - y, the gradient of the loss sum w.r.t. z
  error.scatter_add_(2, target.unsqueeze(2), at::full({E, Q, 1}, -1.0, error.options()));

  // Gradient w.r.t. q and k, back through w, the residue softmax and the plane rotations.
  // grad_w[a] = sum_s' (p - y)_s' T[s', a, s_cur]: all (a, s) columns at once, then the s_cur one.
  at::Tensor grad_w = at::bmm(error, T)
                          .view({E, Q, K(), n()})
                          .gather(3, s_cur.view({E, Q, 1, 1}).expand({E, Q, K(), 1}))
                          .view({E, B, L, K()}) /
                      static_cast<double>(Q);
  at::Tensor grad_alpha = grad_w.gather(3, lagged).sum({1, 2});  // [E, L]: sum over queries of grad_w[a at lag r]
  at::Tensor grad_S = alpha * (grad_alpha - (alpha * grad_alpha).sum(1, /*keepdim=*/true));
  at::Tensor grad_a = at::mm(grad_S, residue_cos_.t()), grad_b = at::mm(grad_S, residue_sin_.t());  // [E, d/2]
  at::Tensor grad_q = at::stack({grad_a * k0 + grad_b * k1, grad_a * k1 - grad_b * k0}, 2).view({E, d()});
  at::Tensor grad_k = at::stack({grad_a * q0 - grad_b * q1, grad_a * q1 + grad_b * q0}, 2).view({E, d()});

  // Explicit W-space SGD step in coefficients (docs/theory.md §2 and its trap: not autograd on C):
  // C[s', a, s] -= (eta_W/d) (1/BL) sum_queries (p - y)_{s'} w_a [s = s_cur].
  C_.sub_(at::bmm(error.transpose(1, 2), input_flat).view_as(C_), eta_W / d() / Q);
  P_.copy_(partial_logits());
  q_.sub_(grad_q, eta_A / d());
  k_.sub_(grad_k, eta_A / d());
  return loss;
}

at::Tensor CoefficientLogicModel::closed_form_step_cpu(const at::Tensor& actions_tensor, const at::Tensor& states_tensor,
                                                       const at::Tensor& targets_tensor, double eta_W, double eta_A) {
  const std::int64_t E = actions_tensor.size(0), B = actions_tensor.size(1), L = L_;
  const CoefficientStepShape shape{n(), K(), L, d() / 2, B};
  TORCH_CHECK(stored_by_state(), "CoefficientLogicModel: C is not stored by current state");
  const at::Tensor actions_all = actions_tensor.contiguous(), states_all = states_tensor.contiguous(),
                   targets_all = targets_tensor.contiguous();
  at::Tensor loss = at::empty({E}, q_.options());
  AT_DISPATCH_FLOATING_TYPES(q_.scalar_type(), "coefficient_sgd_step", [&] {
    using real = scalar_t;
    const std::int64_t weights = n() * K() * n(), dimension = d();
    const auto seed_step = [&](int e) {
      const CoefficientSeed<real> seed{q_.data_ptr<real>() + e * dimension,
                                       k_.data_ptr<real>() + e * dimension,
                                       C_.data_ptr<real>() + e * weights,
                                       P_.data_ptr<real>() + e * weights,
                                       state_gram_.data_ptr<real>() + e * n() * n(),
                                       action_gram_.data_ptr<real>() + e * K() * K(),
                                       residue_cos_.data_ptr<real>(),
                                       residue_sin_.data_ptr<real>(),
                                       lag_cos_.data_ptr<real>(),
                                       lag_sin_.data_ptr<real>()};
      const CoefficientBatch batch{actions_all.data_ptr<std::int64_t>() + e * B * L,
                                   states_all.data_ptr<std::int64_t>() + e * B * (L + 1),
                                   targets_all.data_ptr<std::int64_t>() + e * B * L};
      loss.data_ptr<real>()[e] = static_cast<real>(coefficient_sgd_step(shape, seed, batch, eta_W / d(), eta_A / d()));
    };
    seed_runner_(static_cast<int>(E), std::ref(seed_step));  // a reference: no allocation per step
  });
  return loss;
}

std::string CoefficientLogicModel::nonfinite_weight(int e) const {
  if (!q_[e].isfinite().all().item<bool>()) return "q = W_Q b";
  if (!k_[e].isfinite().all().item<bool>()) return "k = W_K b";
  if (!C_[e].isfinite().all().item<bool>()) return "logic coefficients C";
  return "";
}

}  // namespace cotdyn::simulation
