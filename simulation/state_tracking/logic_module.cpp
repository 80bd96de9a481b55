#include <cotdyn/simulation/state_tracking/logic_module.hpp>

#include <algorithm>
#include <vector>

#include <cotdyn/simulation/state_tracking/bilinear_logic.hpp>
#include <cotdyn/simulation/state_tracking/mlp_logic.hpp>

namespace cotdyn::simulation {

std::unique_ptr<LogicModule> make_logic_module(const AblationSettings& ablation, torch::nn::Module& owner, int seeds,
                                               int d, const at::TensorOptions& options) {
  if (ablation.logic_module == LogicModuleKind::mlp)
    return std::make_unique<MlpLogic>(owner, seeds, d, ablation.mlp_width > 0 ? ablation.mlp_width : 4 * d,
                                      ablation.mlp_activation, options);
  return std::make_unique<BilinearLogic>(owner, seeds, d, ablation.logic_module == LogicModuleKind::bilinear_residual,
                                         options);
}

at::Tensor LogicModule::logits(const PreparedLogic& logic, const at::Tensor& type_weights,
                               const at::Tensor& current_state) const {
  const std::int64_t chunk = 2048, Q = type_weights.size(1);
  if (Q <= chunk) return logits_of_chunk(logic, type_weights, current_state);
  std::vector<at::Tensor> parts;
  for (std::int64_t start = 0; start < Q; start += chunk) {
    const auto size = std::min(chunk, Q - start);
    parts.push_back(logits_of_chunk(logic, type_weights.narrow(1, start, size), current_state.narrow(1, start, size)));
  }
  return at::cat(parts, 1);
}

at::Tensor gather_rows(const at::Tensor& table, const at::Tensor& index) {
  const auto E = table.size(0), R = table.size(1), d = table.size(2);
  std::vector<std::int64_t> offset_shape(index.dim(), 1);
  offset_shape[0] = E;
  at::Tensor offset = at::arange(E, index.options()).mul_(R).view(offset_shape);
  auto shape = index.sizes().vec();
  shape.push_back(d);
  return table.reshape({E * R, d}).index_select(0, (index + offset).reshape({-1})).view(shape);
}

// Three batched matrix products. The d^3 product (forward and backward) goes with the slot of fewer
// vectors: A when the values are the K actions, B (the n states) when causal attention brings K + n
// value types.
at::Tensor read_bilinear(const at::Tensor& W, const at::Tensor& O, const at::Tensor& A, const at::Tensor& B) {
  const auto E = W.size(0), d = W.size(1), ta = A.size(1), tb = B.size(1), no = O.size(1);
  at::Tensor x;  // [E, a, i, b]
  if (ta <= tb) {
    x = at::bmm(A, W.view({E, d, d * d}));                                    // [E, a, i*k]
    x = at::bmm(x.view({E, ta * d, d}), B.transpose(1, 2));                   // [E, a*i, b]
  } else {
    x = at::bmm(W.view({E, d * d, d}), B.transpose(1, 2));                    // [E, j*i, b]
    x = at::bmm(A, x.view({E, d, d * tb}));                                   // [E, a, i*b]
  }
  x = x.view({E, ta, d, tb}).transpose(1, 2).reshape({E, d, ta * tb});        // [E, i, a*b]
  return at::bmm(O, x).view({E, no, ta, tb});                                 // [E, s', a, b]
}

at::Tensor read_by_current_state(const at::Tensor& X, const at::Tensor& c, const at::Tensor& state) {
  const auto E = X.size(0), no = X.size(1), T = X.size(2), n = X.size(3), Q = c.size(1);
  // Rows (s, tau) of the table: [E, n*T, n'].
  at::Tensor rows = X.permute({0, 3, 2, 1}).reshape({E, n * T, no});
  if (Q <= 256) {
    // Few queries (a training batch): one product with the (state, type) pair weights [s_q = s] c_tau.
    at::Tensor pairs = at::one_hot(state, n).to(c.scalar_type()).unsqueeze(3) * c.unsqueeze(2);
    return at::bmm(pairs.reshape({E, Q, n * T}), rows);
  }
  // Many queries: one product per (seed, current state) group. A batched product over queries would run
  // one tiny matrix product per query.
  at::Tensor group = (state + at::arange(E, state.options()).mul_(n).unsqueeze(1)).reshape({-1});
  at::Tensor order = group.argsort();
  at::Tensor counts = at::bincount(group, {}, E * n).to(at::kCPU);
  at::Tensor sorted = c.reshape({E * Q, T}).index_select(0, order);
  at::Tensor tables = rows.view({E * n, T, no});
  std::vector<at::Tensor> parts;
  std::int64_t start = 0;
  const auto* count = counts.data_ptr<std::int64_t>();
  for (std::int64_t g = 0; g < E * n; ++g) {
    if (count[g] == 0) continue;
    parts.push_back(at::mm(sorted.narrow(0, start, count[g]), tables[g]));
    start += count[g];
  }
  at::Tensor z = at::empty({E * Q, no}, c.options());
  return z.index_copy(0, order, at::cat(parts)).view({E, Q, no});
}

}  // namespace cotdyn::simulation
