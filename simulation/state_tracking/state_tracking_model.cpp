#include <cotdyn/simulation/state_tracking/state_tracking_model.hpp>

#include <cmath>

#include <cotdyn/simulation/state_tracking/rope.hpp>

namespace cotdyn::simulation {

StateTrackingModel::StateTrackingModel(const ModelInitialisation& init, int L, const at::TensorOptions& options)
    : StateTrackingNetwork(init, L, options, /*trainable=*/false) {
  const int d = static_cast<int>(init.state_embedding.size(2));
  std::tie(rope_cos_query_, rope_sin_query_) = rope_tables(L, d, L + 1, options);
  std::tie(rope_cos_key_, rope_sin_key_) = rope_tables(L, d, 1, options);
}

at::Tensor StateTrackingModel::attention() const {
  at::Tensor q = rotate(query(), rope_cos_query_, rope_sin_query_);  // [E, L, d]
  at::Tensor k = rotate(key(), rope_cos_key_, rope_sin_key_);        // [E, L, d]
  // No 1/sqrt(d): the scale lives in the init. The mask is implicit: only action keys are scored.
  return at::bmm(q, k.transpose(1, 2)).softmax(2);
}

at::Tensor StateTrackingModel::action_weights(const at::Tensor& alpha, const at::Tensor& actions) const {
  const auto E = actions.size(0), count = actions.size(1);
  // w[e, c, t, a] = sum_j alpha[e, t, j] [a_j = a]: one product per seed over all sequences
  // (a broadcast matmul would run E * count tiny products).
  at::Tensor onehot = at::one_hot(actions, K()).to(alpha.scalar_type());           // [E, count, L, K]
  at::Tensor by_position = onehot.permute({0, 2, 1, 3}).reshape({E, L_, count * K()});  // [E, j, (c, a)]
  at::Tensor w = at::bmm(alpha, by_position).view({E, L_, count, K()});            // [E, t, c, a]
  return w.permute({0, 2, 1, 3}).reshape({E, count * L_, K()});
}

StateTrackingNetwork::Retrieval StateTrackingModel::retrieval() const {
  at::Tensor q = query(), k = key();
  return {(q * k).sum(1), 0.5 * (q.square().sum(1) + k.square().sum(1))};
}

StateTrackingNetwork::TeacherForced StateTrackingModel::teacher_forced(const EvaluationSet& evaluation,
                                                                       const at::Tensor& T) const {
  const int E = seeds(), L = L_;
  const auto N = evaluation.actions.size(0);
  at::Tensor alpha = attention();                               // [E, L, L]
  at::Tensor alpha_correct = alpha.diagonal(0, 1, 2).mean(1);  // every query sees each residue once
  at::Tensor actions = evaluation.actions.unsqueeze(0).expand({E, N, L});
  at::Tensor s_cur = evaluation.states.unsqueeze(0).expand({E, N, L + 1}).narrow(2, 0, L).reshape({E, N * L});
  at::Tensor w = action_weights(alpha, actions);  // [E, N*L, K]
  return {logits_from_logit_tensor(T, w, s_cur), w, alpha_correct};
}

at::Tensor StateTrackingModel::rollout(const EvaluationSet& evaluation, const TeacherForced& teacher_forced,
                                       const at::Tensor& T) const {
  const int E = seeds(), L = L_, K = this->K();
  const auto N = evaluation.actions.size(0);
  at::Tensor predicted = evaluation.states.select(1, 0).unsqueeze(0).expand({E, N});  // s_0
  at::Tensor w_by_position = teacher_forced.action_weights.view({E, N, L, K});
  std::vector<at::Tensor> steps;
  for (int t = 1; t <= L; ++t) {
    predicted = logits_from_logit_tensor(T, w_by_position.select(2, t - 1), predicted).argmax(2);
    steps.push_back(predicted);
  }
  return at::stack(steps, 2);
}

at::Tensor StateTrackingModel::loss(const at::Tensor& actions, const at::Tensor& states, const at::Tensor& targets) const {
  return cross_entropy(logits(action_weights(attention(), actions), current_states(states)),
                       targets.reshape({targets.size(0), -1}));
}

namespace {

// The CPU path of logits_from_logit_tensor: per query one pass over the n outputs, with the rows
// T[e, :, a, s_cur] read from a copy of T laid out [E, s, a, s'] (18 KB per seed at the defaults).
// z = ((T_0 w_0 + T_1 w_1) + T_2 w_2) + ...: the products and the order of the sums of the tensor
// path, so the same numbers, without its 3K passes over [E Q, n] temporaries (BENCHMARKS.md).
template <class Scalar>
at::Tensor logits_on_cpu(const at::Tensor& T, const at::Tensor& w, const at::Tensor& current_state) {
  const auto E = T.size(0), n = T.size(1), K = T.size(2), Q = w.size(1);
  const at::Tensor rows = T.permute({0, 3, 2, 1}).contiguous();  // [E, s, a, s']
  const at::Tensor weights = w.contiguous();
  const at::Tensor states = current_state.to(at::kLong).contiguous();
  at::Tensor z = at::empty({E, Q, n}, T.options());
  const Scalar* table = rows.data_ptr<Scalar>();
  const Scalar* wq = weights.data_ptr<Scalar>();
  const std::int64_t* sq = states.data_ptr<std::int64_t>();
  Scalar* out = z.data_ptr<Scalar>();
  for (std::int64_t e = 0; e < E; ++e)
    for (std::int64_t q = 0; q < Q; ++q) {
      const std::int64_t query = e * Q + q;
      const Scalar* row = table + (e * n + sq[query]) * K * n;
      const Scalar* weight = wq + query * K;
      Scalar* z_q = out + query * n;
      for (std::int64_t j = 0; j < n; ++j) z_q[j] = row[j] * weight[0];
      for (std::int64_t a = 1; a < K; ++a)
        for (std::int64_t j = 0; j < n; ++j) z_q[j] = z_q[j] + row[a * n + j] * weight[a];
    }
  return z;
}

}  // namespace

at::Tensor logits_from_logit_tensor(const at::Tensor& T, const at::Tensor& w, const at::Tensor& current_state) {
  if (T.device().is_cpu() && !T.requires_grad() && !w.requires_grad() && w.scalar_type() == T.scalar_type()) {
    if (T.scalar_type() == at::kDouble) return logits_on_cpu<double>(T, w, current_state);
    if (T.scalar_type() == at::kFloat) return logits_on_cpu<float>(T, w, current_state);
  }
  const auto E = T.size(0), n = T.size(1), K = T.size(2), Q = w.size(1);
  // One action at a time: rows T[e, :, a, s_cur] gathered per query, scaled by w_a and summed.
  // (A batched product over the E*Q queries runs E*Q tiny matrix products, each a BLAS call: a
  // third of a default `cotdyn simulate` in the profile, with 18,000 evaluation queries per seed.)
  at::Tensor offset = at::arange(E, current_state.options()).mul_(n).unsqueeze(1);
  at::Tensor index = (current_state + offset).reshape({-1});
  at::Tensor z;
  for (std::int64_t a = 0; a < K; ++a) {
    at::Tensor by_state = T.select(2, a).transpose(1, 2).reshape({E * n, n});  // [(e, s), s']
    at::Tensor term = by_state.index_select(0, index) * w.select(2, a).reshape({E * Q, 1});
    z = a == 0 ? term : z + term;
  }
  return z.view({E, Q, n});
}

at::Tensor contract_logic_modes(const at::Tensor& W, const at::Tensor& A1, const at::Tensor& A2, const at::Tensor& A3) {
  const auto E = W.size(0), p = W.size(1), r = W.size(2), p3 = W.size(3);
  const auto n1 = A1.size(1), K = A2.size(1), n3 = A3.size(1);
  at::Tensor x = at::bmm(A1, W.reshape({E, p, r * p3}));                          // [E, n1, r*p3]
  x = at::bmm(x.view({E, n1 * r, p3}), A3.transpose(1, 2));                      // [E, n1*r, n3]
  // Mode 2 as one batched product (a broadcast matmul would run E*n1 tiny products).
  x = x.view({E, n1, r, n3}).transpose(1, 2).reshape({E, r, n1 * n3});
  return at::bmm(A2, x).view({E, K, n1, n3}).transpose(1, 2);                    // [E, n1, K, n3]
}

}  // namespace cotdyn::simulation
