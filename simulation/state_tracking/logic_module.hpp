#pragma once
// The logic module of the general model (docs/theory.md §2.3 and §11.1): what maps the attention
// output v and the current token x to logits. One interface, one file per module:
// BilinearLogic (h = W(v, x), and the residual variant W(r, r) with r = v + x) and MlpLogic.
//
// A module reads (v, x) through token-type coordinates: a query's attention output is
// v = sum_tau c_tau z_tau over a value basis z_tau [E, types, d], so the work that does not depend on
// the query (the d^3 contractions of a bilinear logic; the MLP's first layer on the basis) is done
// once per call in prepare(), then applied to many queries.
#include <memory>

#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include <cotdyn/simulation/state_tracking/ablation_settings.hpp>

namespace cotdyn::simulation {

// A logic module prepared for one value basis. Each module fills the fields it needs.
struct PreparedLogic {
  at::Tensor cross;          // bilinear: [E, n', types, n] logits of (z_tau, u_s); residual: both orders
  at::Tensor value_pair;     // bilinear_residual: [E, types^2, n'] logits of (z_tau, z_tau')
  at::Tensor state_pair;     // bilinear_residual: [E, n, n'] logits of (u_s, u_s)
  at::Tensor value_hidden;   // MLP: W_1 z_tau [E, types, width]
  at::Tensor state_hidden;   // MLP: W_1 u_s + b_1 [E, n, width]
  at::Tensor readout;        // MLP: unembedding times W_2 / sqrt(width) [E, n', width]
  at::Tensor readout_bias;   // MLP: unembedding times b_2 [E, n']
};

class LogicModule {
 public:
  virtual ~LogicModule() = default;

  // The products that do not depend on the query, for value basis z [E, types, d], state embeddings
  // U [E, n, d] and unembedding O [E, n', d].
  virtual PreparedLogic prepare(const at::Tensor& value_basis, const at::Tensor& state_embedding,
                                const at::Tensor& unembedding) const = 0;
  // Logits [E, Q, n'] of queries with type weights c [E, Q, types] and current states [E, Q] (int64),
  // in chunks of queries that keep the temporaries to a few MB per seed.
  at::Tensor logits(const PreparedLogic& logic, const at::Tensor& type_weights, const at::Tensor& current_state) const;
  // Dual-basis coefficients C[e, s', a, s] of the (attention output, current state) channel, read
  // through dual bases of the output, action and state embeddings (docs/theory.md §3.3); undefined for a
  // module without a bilinear form.
  virtual at::Tensor coefficients(const at::Tensor& output_dual, const at::Tensor& action_dual,
                                  const at::Tensor& state_dual) const = 0;

  // The weight that T is linear in (W, or W_2 with b_2 = 0): logic_init rescales it.
  virtual at::Tensor output_weight() const = 0;
  // The module's random initial weights besides a random logic (the MLP's W_1), [E, ...]; undefined
  // when it has none. Drawn before the random logic, from the same per-seed stream.
  virtual at::Tensor first_layer() const { return {}; }
  // The gates of the hidden units, [E, Q, width] (bool: pre-activation > 0), for the queries of
  // logits(); undefined for a module without hidden units (the bilinear logics).
  virtual at::Tensor hidden_gates(const PreparedLogic&, const at::Tensor&, const at::Tensor&) const { return {}; }

 protected:
  virtual at::Tensor logits_of_chunk(const PreparedLogic& logic, const at::Tensor& type_weights,
                                     const at::Tensor& current_state) const = 0;
};

// The module of ablation.logic_module, its weights registered on `owner` under their names (W; or
// W_1, b_1, W_2, b_2), at zero: T(0) = 0 as for the solvable model's W(0) = 0.
std::unique_ptr<LogicModule> make_logic_module(const AblationSettings& ablation, torch::nn::Module& owner, int seeds,
                                               int d, const at::TensorOptions& options);

// X[e, s', a, b] = sum_ijk O[e, s', i] W[e, j, i, k] A[e, a, j] B[e, b, k]: a bilinear form (stored
// [E, j, i, k]) read through O on inputs A (attention-output slot) and B (current-token slot).
at::Tensor read_bilinear(const at::Tensor& W, const at::Tensor& O, const at::Tensor& A, const at::Tensor& B);
// z[e, q, s'] = sum_tau c[e, q, tau] X[e, s', tau, s_q] for a table X [E, n', T, n].
at::Tensor read_by_current_state(const at::Tensor& X, const at::Tensor& c, const at::Tensor& state);
// rows[e, ...] = table[e, index[e, ...]] for a table [E, R, d]: [E, ..., d].
at::Tensor gather_rows(const at::Tensor& table, const at::Tensor& index);

}  // namespace cotdyn::simulation
