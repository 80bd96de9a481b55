#include <cotdyn/simulation/state_tracking/state_tracking_model.hpp>

#include <cmath>

#include <ATen/CPUGeneratorImpl.h>

namespace cotdyn::simulation {

ModelInitialisation draw_initialisation(int n, int K, int d, double sigma2, const std::vector<std::uint64_t>& seeds) {
  const auto f64 = at::TensorOptions().dtype(at::kDouble);
  std::vector<at::Tensor> U, E, WQ, WK;
  for (std::uint64_t seed : seeds) {
    at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(seed);
    at::Tensor u = at::randn({n, d}, generator, f64);
    at::Tensor e = at::randn({K, d}, generator, f64);
    U.push_back(u / u.norm(2, {1}, true));
    E.push_back(e / e.norm(2, {1}, true));
    WQ.push_back(at::randn({d, d}, generator, f64) * std::sqrt(sigma2 / d));
    WK.push_back(at::randn({d, d}, generator, f64) * std::sqrt(sigma2 / d));
  }
  return {at::stack(U), at::stack(E), at::stack(WQ), at::stack(WK)};
}

namespace {
// cos and sin of p * theta_m with theta_m = 2 pi f_m / L, f_m = 1 + (m mod (L-1)) (docs/theory.md §2),
// for positions first..first+L-1; computed in float64 and then cast.
std::pair<at::Tensor, at::Tensor> rope_tables(int L, int d, int first_position, const at::TensorOptions& options) {
  const double pi = 3.14159265358979323846;
  at::Tensor angle = at::empty({L, d / 2}, at::TensorOptions().dtype(at::kDouble));
  auto a = angle.accessor<double, 2>();
  for (int p = 0; p < L; ++p)
    for (int m = 0; m < d / 2; ++m) {
      // Reduce (position * f) modulo L first: the angle is exact and the tables periodic to the bit.
      const long long turns = (static_cast<long long>(first_position + p) * (1 + m % (L - 1))) % L;
      a[p][m] = 2 * pi * static_cast<double>(turns) / L;
    }
  return {angle.cos().to(options), angle.sin().to(options)};
}

// Rotates x [E, d] plane by plane to every position of the tables: [E, P, d].
at::Tensor rotate(const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin) {
  const auto E = x.size(0), d = x.size(1);
  at::Tensor planes = x.view({E, 1, d / 2, 2});
  at::Tensor x0 = planes.select(3, 0), x1 = planes.select(3, 1);  // [E, 1, d/2]
  at::Tensor r0 = x0 * cos - x1 * sin;
  at::Tensor r1 = x0 * sin + x1 * cos;
  return at::stack({r0, r1}, 3).view({E, cos.size(0), d});
}
}  // namespace

StateTrackingModel::StateTrackingModel(const ModelInitialisation& init, int L, const at::TensorOptions& options)
    : L_(L) {
  state_embedding_ = register_buffer("state_embedding", init.state_embedding.to(options));
  action_embedding_ = register_buffer("action_embedding", init.action_embedding.to(options));
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

at::Tensor StateTrackingModel::cross_entropy(const at::Tensor& logits, const at::Tensor& target) {
  at::Tensor picked = logits.gather(2, target.unsqueeze(2)).squeeze(2);
  return (logits.logsumexp(2) - picked).mean(1);
}

at::Tensor StateTrackingModel::current_states(const at::Tensor& states) {
  const auto L = states.size(2) - 1;
  return states.narrow(2, 0, L).reshape({states.size(0), -1});
}

at::Tensor StateTrackingModel::next_states(const at::Tensor& states) {
  const auto L = states.size(2) - 1;
  return states.narrow(2, 1, L).reshape({states.size(0), -1});
}

at::Tensor logits_from_logit_tensor(const at::Tensor& T, const at::Tensor& w, const at::Tensor& current_state) {
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
