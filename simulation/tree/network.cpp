#include <cotdyn/simulation/tree/network.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace cotdyn::simulation::tree {

namespace {

const auto real = torch::TensorOptions().dtype(torch::kDouble);
const auto index = torch::TensorOptions().dtype(torch::kLong);

// Rows of table [E, R, N] selected per seed by idx [E, K] -> [E, K, N].
torch::Tensor rows_of(const torch::Tensor& table, const torch::Tensor& idx) {
  return table.gather(1, idx.unsqueeze(2).expand({idx.size(0), idx.size(1), table.size(2)}));
}

}  // namespace

std::vector<at::Generator> seed_generators(const TreeSettings& settings) {
  std::vector<at::Generator> generators;
  for (int e = 0; e < settings.seeds; ++e)
    generators.push_back(at::make_generator<at::CPUGeneratorImpl>(settings.base_seed + static_cast<std::uint64_t>(e)));
  return generators;
}

Batch make_batch(const std::vector<std::vector<Sample>>& samples) {
  const auto E = static_cast<std::int64_t>(samples.size()), B = static_cast<std::int64_t>(samples.at(0).size());
  const auto T = static_cast<std::int64_t>(samples[0].at(0).tokens.size());
  const auto Q = static_cast<std::int64_t>(samples[0][0].targets.size());
  Batch batch{torch::empty({E, B, T}, index), torch::empty({E, B, T}, index), torch::empty({E, B, Q}, index)};
  auto x = batch.x.accessor<std::int64_t, 3>(), y = batch.y.accessor<std::int64_t, 3>();
  auto t = batch.targets.accessor<std::int64_t, 3>();
  for (std::int64_t e = 0; e < E; ++e)
    for (std::int64_t b = 0; b < B; ++b) {
      const Sample& s = samples[e].at(b);
      for (std::int64_t j = 0; j < T; ++j) {
        x[e][b][j] = s.tokens[j].x;
        y[e][b][j] = s.tokens[j].y;
      }
      for (std::int64_t q = 0; q < Q; ++q) t[e][b][q] = s.targets[q];
    }
  return batch;
}

QueryLayout::QueryLayout(const TreeTask& task)
    : queries(task.queries()), tokens(task.tokens()), edges(task.edges()), depth(task.D) {
  positions = torch::arange(edges, edges + queries, index);
  stage = (torch::arange(queries, index) >= depth).to(torch::kLong);
  visible = torch::arange(tokens, index).unsqueeze(0) <= positions.unsqueeze(1);
}

TablePass table_forward(const torch::Tensor& M, const Batch& batch, const QueryLayout& layout) {
  const std::int64_t E = M.size(0), H = M.size(1), N = M.size(3), B = batch.size(), Q = layout.queries, T = layout.tokens;
  const auto current = batch.y.index_select(2, layout.positions);  // x_q [E, B, Q]
  const auto slots = torch::stack({batch.x, batch.y}, 2);             // [E, B, 2, T]
  const auto present = (slots >= 0).to(torch::kDouble);
  const auto slot_index = slots.clamp_min(0);

  // S[e,h,b,q,j] = sum_s [slot_s(j) != NONE] M[e, h, 2 tau_q + s, x_q, slot_s(j)].
  const auto qk_row = (layout.stage.view({1, 1, Q, 1}) * 2 + torch::arange(2, index).view({1, 1, 1, 2})) * N +
                      current.unsqueeze(3);  // [E, B, Q, 2]: row of the flattened [6 N, N] tables
  const auto qk_rows = M.reshape({E, H, blocks_per_head * N, N})
                           .gather(2, qk_row.reshape({E, 1, B * Q * 2, 1}).expand({E, H, B * Q * 2, N}))
                           .view({E, H, B, Q, 2, N});
  const auto key = slot_index.view({E, 1, B, 1, 2, T}).expand({E, H, B, Q, 2, T});
  auto scores = (qk_rows.gather(5, key) * present.view({E, 1, B, 1, 2, T})).sum(4);  // [E, H, B, Q, T]
  scores = scores.masked_fill(layout.visible.logical_not().view({1, 1, 1, Q, T}), -std::numeric_limits<double>::infinity());
  const auto attention = torch::softmax(scores, 4);

  // z[e,b,q,y] = sum_{h,s,a} w[e,h,b,q,s,a] M[e, h, 4 + s, y, a] with w the attention each query puts on
  // the keys whose slot s holds a (a scatter into N bins, then one matrix product per block).
  const auto weight = torch::zeros({E, H, B, Q, 2, N}, M.options())
                          .scatter_add(5, key, attention.unsqueeze(4) * present.view({E, 1, B, 1, 2, T}));
  const auto logits = torch::matmul(weight.permute({0, 1, 4, 2, 3, 5}).reshape({E, H, 2, B * Q, N}),
                                    M.slice(2, 4, 6).transpose(3, 4))
                          .sum({1, 2})
                          .view({E, B, Q, N});
  return {attention, logits};
}

torch::Tensor loss_per_seed(const torch::Tensor& logits, const torch::Tensor& targets) {
  return -torch::log_softmax(logits, 3).gather(3, targets.unsqueeze(3)).squeeze(3).mean({1, 2});
}

TreeNetworkImpl::TreeNetworkImpl(const TreeSettings& s, std::vector<at::Generator>& generators)
    : storage(s.storage), N(s.N), d(s.d), H(s.H), E(s.seeds), layout(s.tree_task()) {
  auto u = torch::empty({E, N, d}, real);
  auto w_qk = torch::zeros({E, H, 2, 2, d, d}, real), w_ov = torch::zeros({E, H, 2, d, d}, real);
  for (int e = 0; e < E; ++e) {
    const auto raw = torch::randn({N, d}, generators.at(e), real);
    u[e].copy_(raw / raw.norm(2, 1, true));
    if (s.init_scale > 0) {
      const double scale = s.init_scale / std::sqrt(static_cast<double>(d));
      w_qk[e].copy_(torch::randn({H, 2, 2, d, d}, generators[e], real) * scale);
      w_ov[e].copy_(torch::randn({H, 2, d, d}, generators[e], real) * scale);
    }
  }
  U = register_buffer("U", u);
  gram = register_buffer("gram", torch::bmm(u, u.transpose(1, 2)));
  const auto outer = torch::bmm(u.transpose(1, 2), u);  // sum_v u_v u_v^T [E, d, d]
  if (storage == Storage::tensor) {
    for (int h = 0; h < H; ++h) w_ov.select(1, h).select(1, 1).add_(outer, s.head_epsilon(h));
    W_qk = register_parameter("W_qk", w_qk);
    W_ov = register_parameter("W_ov", w_ov);
  } else {
    auto c = torch::zeros({E, H, blocks_per_head, N, N}, real);
    if (s.init_scale > 0) {  // exact projection of the iid W(0) onto span(U): C = G^-1 U W U^T G^-1
      const auto inverse = torch::inverse(gram).view({E, 1, 1, N, N});
      const auto w = torch::cat({w_qk.view({E, H, 4, d, d}), w_ov}, 2);
      const auto uu = u.view({E, 1, 1, N, d});
      c = torch::matmul(inverse, torch::matmul(torch::matmul(uu, w), uu.transpose(3, 4))).matmul(inverse);
    }
    for (int h = 0; h < H; ++h) c.select(1, h).select(1, 5).add_(torch::eye(N, real), s.head_epsilon(h));
    C = register_parameter("C", c);
  }
}

torch::Tensor TreeNetworkImpl::token_vectors(const Batch& batch) const {
  const std::int64_t B = batch.size(), T = layout.tokens;
  const auto padded = torch::cat({U, torch::zeros({E, 1, d}, real)}, 1);  // row N: the zero vector of NONE
  const auto embed = [&](const torch::Tensor& symbols) {
    return rows_of(padded, torch::where(symbols >= 0, symbols, N).view({E, B * T})).view({E, B, T, d});
  };
  const auto x = embed(batch.x), y = embed(batch.y);
  // QB / QF carry u_Y at CoT positions by stage; context edges (positions < E) have neither.
  auto stage = torch::zeros({T, 2}, real);
  stage.index_put_({layout.positions, layout.stage}, 1.0);
  const auto tagged = y.unsqueeze(3) * stage.view({1, 1, T, 2, 1});  // [E, B, T, 2, d]
  return torch::cat({x, y, tagged.select(3, 0), tagged.select(3, 1)}, 3);
}

torch::Tensor TreeNetworkImpl::forward(const Batch& batch) {
  if (storage == Storage::coefficients) return table_forward(logit_tables(), batch, layout).logits;
  const std::int64_t B = batch.size(), Q = layout.queries, T = layout.tokens;
  const auto tokens = token_vectors(batch).view({E, B, T, 4, d});
  const auto keys = tokens.slice(3, 0, 2);                                           // [X | Y]   [E, B, T, 2, d]
  const auto queries = tokens.slice(3, 2, 4).index_select(2, layout.positions);      // [QB | QF] [E, B, Q, 2, d]
  // S^h(i, j) = sum_{tau, s} q_tau(i)^T W_{tau s} k_s(j): the non-zero blocks of tok_i^T W_QK tok_j.
  const auto projected = torch::einsum("ebqtd,ehtsdf->ehbqsf", {queries, W_qk});
  auto scores = torch::einsum("ehbqsf,ebjsf->ehbqj", {projected, keys});
  scores = scores.masked_fill(layout.visible.logical_not().view({1, 1, 1, Q, T}), -std::numeric_limits<double>::infinity());
  const auto attention = torch::softmax(scores, 4);
  // z_i = U sum_h sum_j alpha_ij (W_OX k_X(j) + W_OY k_Y(j)).
  const auto values = torch::einsum("ehsdf,ebjsf->ehbjd", {W_ov, keys});
  const auto output = torch::einsum("ehbqj,ehbjd->ebqd", {attention, values});
  return torch::einsum("ebqd,eyd->ebqy", {output, U});
}

torch::Tensor TreeNetworkImpl::logit_tables() const {
  torch::NoGradGuard no_grad;
  if (storage == Storage::coefficients) {
    const auto g = gram.view({E, 1, 1, N, N});
    return torch::matmul(torch::matmul(g, C.detach()), g);
  }
  const auto w = torch::cat({W_qk.detach().view({E, H, 4, d, d}), W_ov.detach()}, 2);
  const auto u = U.view({E, 1, 1, N, d});
  return torch::matmul(torch::matmul(u, w), u.transpose(3, 4));
}

torch::Tensor TreeNetworkImpl::coefficient_tables() const {
  torch::NoGradGuard no_grad;
  if (storage == Storage::coefficients) return C.detach().clone();
  if (d < N) return torch::full({E, H, blocks_per_head, N, N}, std::numeric_limits<double>::quiet_NaN(), real);
  const auto inverse = torch::inverse(gram).view({E, 1, 1, N, N});
  return torch::matmul(torch::matmul(inverse, logit_tables()), inverse);
}

torch::Tensor TreeNetworkImpl::qk_matrix(int e, int h) const {
  if (storage != Storage::tensor) throw std::logic_error("qk_matrix: the coefficient storage holds no W");
  auto m = torch::zeros({4 * d, 4 * d}, real);
  for (int tau = 0; tau < 2; ++tau)
    for (int s = 0; s < 2; ++s)
      m.slice(0, (2 + tau) * d, (3 + tau) * d).slice(1, s * d, (s + 1) * d).copy_(W_qk.detach()[e][h][tau][s]);
  return m;
}

torch::Tensor TreeNetworkImpl::ov_matrix(int e, int h) const {
  if (storage != Storage::tensor) throw std::logic_error("ov_matrix: the coefficient storage holds no W");
  auto m = torch::zeros({d, 4 * d}, real);
  for (int s = 0; s < 2; ++s) m.slice(1, s * d, (s + 1) * d).copy_(W_ov.detach()[e][h][s]);
  return m;
}

}  // namespace cotdyn::simulation::tree
