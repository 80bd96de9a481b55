#include <cotdyn/simulation/state_tracking/general_transformer_model.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Dispatch.h>
#include <ATen/core/grad_mode.h>
#include <fmt/format.h>

namespace cotdyn::simulation {

namespace {

const double pi = 3.14159265358979323846;

// Offset of a seed's second random stream (golden-ratio increment): the MLP's first layer and a random
// initial logic are drawn from it, so the first stream stays exactly that of the solvable model.
constexpr std::uint64_t second_stream_offset = 0x9E3779B97F4A7C15ULL;

// Offsets i - j between a query position i (L+1..2L) and a key position j (1..2L).
int first_offset(int L) { return 1 - L; }
int offset_count(int L) { return 3 * L - 1; }

// cos and sin of (i - j) theta_m, [d/2, 3L - 1], computed in float64 and then cast. "period":
// theta_m = 2 pi f_m / L with f_m = 1 + (m mod (L-1)), the angle reduced modulo L first (exactly
// periodic, as in the solvable model's tables); "geometric": theta_m = base^(-2m/d).
std::pair<at::Tensor, at::Tensor> offset_tables(int L, int d, const AblationSettings& ablation,
                                                const at::TensorOptions& options) {
  at::Tensor angle = at::empty({d / 2, offset_count(L)}, at::TensorOptions().dtype(at::kDouble));
  auto a = angle.accessor<double, 2>();
  for (int m = 0; m < d / 2; ++m)
    for (int o = 0; o < offset_count(L); ++o) {
      const long long offset = first_offset(L) + o;
      if (ablation.rope == "geometric") {
        a[m][o] = static_cast<double>(offset) * std::pow(ablation.rope_base, -2.0 * m / d);
      } else {
        const long long turns = ((offset * (1 + m % (L - 1))) % L + L) % L;
        a[m][o] = 2 * pi * static_cast<double>(turns) / L;
      }
    }
  return {angle.cos().to(options), angle.sin().to(options)};
}

// RoPE scores of queries q [E, Tq, d] on keys k [E, Tk, d] at every offset, [E, Tq, Tk, offsets]:
// (Rot_i q) . (Rot_j k) = q . Rot(-(i-j) theta) k = sum_m cos((i-j) theta_m) a_m + sin((i-j) theta_m) b_m,
// a_m = q_2m k_2m + q_2m+1 k_2m+1, b_m = q_2m k_2m+1 - q_2m+1 k_2m. The model's queries and keys
// are one of a few vectors (beacon, or one per token type), so their scores are tabulated once.
at::Tensor score_table(const at::Tensor& q, const at::Tensor& k, const at::Tensor& cos, const at::Tensor& sin) {
  const auto E = q.size(0), Tq = q.size(1), Tk = k.size(1), d = q.size(2);
  at::Tensor qp = q.reshape({E, Tq, 1, d / 2, 2}), kp = k.reshape({E, 1, Tk, d / 2, 2});
  at::Tensor q0 = qp.select(4, 0), q1 = qp.select(4, 1), k0 = kp.select(4, 0), k1 = kp.select(4, 1);
  return at::matmul(q0 * k0 + q1 * k1, cos) + at::matmul(q0 * k1 - q1 * k0, sin);
}

// rows[e, ...] = table[e, index[e, ...]] for a table [E, R, d]: [E, ..., d].
at::Tensor gather_rows(const at::Tensor& table, const at::Tensor& index) {
  const auto E = table.size(0), R = table.size(1), d = table.size(2);
  std::vector<std::int64_t> offset_shape(index.dim(), 1);
  offset_shape[0] = E;
  at::Tensor offset = at::arange(E, index.options()).mul_(R).view(offset_shape);
  auto shape = index.sizes().vec();
  shape.push_back(d);
  return table.reshape({E * R, d}).index_select(0, (index + offset).reshape({-1})).view(shape);
}

// X[e, s', a, b] = sum_ijk O[e, s', i] W[e, j, i, k] A[e, a, j] B[e, b, k]: a bilinear logic (stored
// [E, j, i, k]) read through the unembedding O on inputs A (attention-output slot) and B (current-token
// slot), as three batched matrix products. The d^3 product (forward and backward) goes with the slot
// of fewer vectors: A when the values are the K actions, B (the n states) when causal attention
// brings K + n value types.
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

// z[e, q, s'] = sum_tau c[e, q, tau] X[e, s', tau, s_q] for a table X [E, n', T, n].
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

at::Tensor activation(const std::string& name, const at::Tensor& x) {
  if (name == "gelu") return at::gelu(x);
  if (name == "relu") return at::relu(x);
  if (name == "tanh") return at::tanh(x);
  if (name == "silu") return at::silu(x);
  throw std::invalid_argument(fmt::format("ablation.mlp_activation = \"{}\": allowed are gelu, relu, tanh, silu", name));
}

// One Adam step on contiguous CPU tensors in a single pass: m <- beta1 m + (1 - beta1) g,
// v <- beta2 v + (1 - beta2) g^2, p <- p - step m / (sqrt(v) + epsilon). Written as a loop because the
// same update as tensor operations makes six passes over the d^3 logic tensor (measured 3x slower).
template <typename T>
void adam_pass(T* p, const T* g, T* m, T* v, std::int64_t size, double beta1, double beta2, double step,
               double epsilon) {
  const T b1 = static_cast<T>(beta1), b2 = static_cast<T>(beta2), s = static_cast<T>(step), eps = static_cast<T>(epsilon);
  for (std::int64_t i = 0; i < size; ++i) {
    m[i] = b1 * m[i] + (1 - b1) * g[i];
    v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
    p[i] -= s * m[i] / (std::sqrt(v[i]) + eps);
  }
}

bool is_attention_weight(const std::string& name) {
  return name == "W_Q" || name == "W_K" || name == "W_V" || name == "W_O";
}

at::Tensor copy_of(const at::Tensor& x, const at::TensorOptions& options) {
  return x.to(options, /*non_blocking=*/false, /*copy=*/true);
}

}  // namespace

GeneralTransformerModel::GeneralTransformerModel(const ModelInitialisation& init, const std::vector<std::uint64_t>& seeds,
                                                 int L, const AblationSettings& ablation, const at::TensorOptions& options)
    : L_(L), ablation_(ablation) {
  const auto E = init.state_embedding.size(0), d = init.state_embedding.size(2);
  if (static_cast<std::int64_t>(seeds.size()) != E)
    throw std::invalid_argument(fmt::format("GeneralTransformerModel: {} seeds for {} initialisations", seeds.size(), E));
  if (train_embeddings()) {
    state_embedding_ = register_parameter("state_embedding", copy_of(init.state_embedding, options));
    action_embedding_ = register_parameter("action_embedding", copy_of(init.action_embedding, options));
    unembedding_ = register_parameter("unembedding", copy_of(init.state_embedding, options));  // untied, starts at U
  } else {
    state_embedding_ = register_buffer("state_embedding", copy_of(init.state_embedding, options));
    action_embedding_ = register_buffer("action_embedding", copy_of(init.action_embedding, options));
  }
  query_weight_ = register_parameter("W_Q", copy_of(init.query_weight, options));
  key_weight_ = register_parameter("W_K", copy_of(init.key_weight, options));
  if (causal()) {
    // Identity at the start: the retrieved vector is the token itself, as in the solvable model.
    value_weight_ = register_parameter("W_V", at::eye(d, options).expand({E, d, d}).clone());
    output_weight_ = register_parameter("W_O", at::eye(d, options).expand({E, d, d}).clone());
  }
  at::Tensor beacon = at::zeros({d}, options);
  beacon[0] = 1.0;
  beacon_ = register_buffer("beacon", beacon);
  std::tie(offset_cos_, offset_sin_) = offset_tables(L, static_cast<int>(d), ablation, options);

  if (ablation.logic_module == "mlp") {
    hidden_ = ablation.mlp_width > 0 ? ablation.mlp_width : 4 * static_cast<int>(d);
    hidden_weight_ = register_parameter("W_1", at::zeros({E, hidden_, d}, options));
    hidden_bias_ = register_parameter("b_1", at::zeros({E, hidden_}, options));
    // Second layer at zero: T(0) = 0 as for the solvable model's W(0) = 0 (unless logic_init).
    logic_weight_ = register_parameter("W_2", at::zeros({E, d, hidden_}, options));
    output_bias_ = register_parameter("b_2", at::zeros({E, d}, options));
  } else {
    logic_weight_ = register_parameter("W", at::zeros({E, d, d, d}, options));  // [E, j, i, k]
  }
  draw_random_weights(seeds, options);
  if (ablation.logic_init > 0) scale_initial_logic();

  if (ablation.optimizer == "adam") {
    adam_steps_ = register_buffer("adam_steps", at::zeros({}, options));
    for (const auto& p : named_parameters()) {
      register_buffer("adam_m_" + p.key(), at::zeros_like(p.value()));
      register_buffer("adam_v_" + p.key(), at::zeros_like(p.value()));
    }
  }
}

void GeneralTransformerModel::draw_random_weights(const std::vector<std::uint64_t>& seeds,
                                                  const at::TensorOptions& options) {
  const bool mlp = ablation_.logic_module == "mlp", random_logic = ablation_.logic_init > 0;
  if (!mlp && !random_logic) return;
  const auto f64 = at::TensorOptions().dtype(at::kDouble);
  std::vector<at::Tensor> first_layers, logic;
  for (std::uint64_t seed : seeds) {
    at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(seed + second_stream_offset);
    // W_1 iid N(0, 1/2): the probe inputs r = e_a + u_s have |r|^2 ~ 2, so pre-activations start ~ N(0, 1),
    // where the activation is non-linear (with N(0, 1/d) they would be O(d^-1/2): a linear map).
    if (mlp) first_layers.push_back(at::randn({hidden_, d()}, generator, f64) * std::sqrt(0.5));
    // iid N(0, 1); scale_initial_logic() then sets the scale.
    if (random_logic) logic.push_back(at::randn(logic_weight_.sizes().slice(1), generator, f64));
  }
  at::NoGradGuard no_grad;
  if (mlp) hidden_weight_.copy_(at::stack(first_layers).to(options));
  if (random_logic) logic_weight_.copy_(at::stack(logic).to(options));
}

void GeneralTransformerModel::scale_initial_logic() {
  // T is linear in the logic's output weights (W, or W_2 with b_2 = 0), so one rescaling per seed sets
  // the std (ddof 0, over all n^2 K entries) of T(0) to logic_init exactly. For the bilinear logic with
  // unit-norm embeddings Var T = Var W_ijk, so the factor is logic_init up to quenched O(d^-1/2) overlaps.
  at::NoGradGuard no_grad;
  const auto E = seeds();
  at::Tensor spread = logit_tensor().reshape({E, -1}).std(1, /*unbiased=*/false);
  std::vector<std::int64_t> shape(logic_weight_.dim(), 1);
  shape[0] = E;
  logic_weight_.mul_((ablation_.logic_init / spread).view(shape));
}

at::Tensor GeneralTransformerModel::beacon_query() const { return at::matmul(query_weight_, beacon_); }
at::Tensor GeneralTransformerModel::beacon_key() const { return at::matmul(key_weight_, beacon_); }

at::Tensor GeneralTransformerModel::retrieval_score() const {
  const int lag = L_ - first_offset(L_);  // offset index of i - j = L
  return score_table(beacon_query().unsqueeze(1), beacon_key().unsqueeze(1), offset_cos_.narrow(1, lag, 1),
                     offset_sin_.narrow(1, lag, 1))
      .view({seeds()});
}

int GeneralTransformerModel::token_types() const { return causal() ? K() + n() : K(); }

at::Tensor GeneralTransformerModel::type_vectors() const { return at::cat({action_embedding_, state_embedding_}, 1); }

GeneralTransformerModel::Attention GeneralTransformerModel::attend(const at::Tensor& actions, const at::Tensor& state_tokens,
                                                                   int first_step, int steps) const {
  const auto E = actions.size(0), N = actions.size(1);
  const int keys = causal() ? 2 * L_ : L_;
  const auto index = actions.options();
  // Token type of each key: action a, or K + s for a state token.
  at::Tensor key_types = causal() ? at::cat({actions, state_tokens + K()}, 2) : actions;  // [E, N, keys]
  // Offset index of (query position L + t, key position j).
  at::Tensor query_position = at::arange(L_ + first_step, L_ + first_step + steps, index);
  at::Tensor key_position = at::arange(1, keys + 1, index);
  at::Tensor offset = query_position.unsqueeze(1) - key_position.unsqueeze(0) - first_offset(L_);  // [steps, keys]
  Attention attention;
  // No 1/sqrt(d): the scale lives in the init (docs/theory.md §2).
  if (ablation_.content_qk) {
    // q = W_Q (u_s + b) for the query's state s, k = W_K (y + b) for the key's token: scores per
    // (query state, key type, offset), then read off per query and key.
    at::Tensor with_beacon = type_vectors() + beacon_;
    at::Tensor q = at::matmul(state_embedding_ + beacon_, query_weight_.transpose(1, 2));  // [E, n, d]
    at::Tensor k = at::matmul(causal() ? with_beacon : with_beacon.narrow(1, 0, K()), key_weight_.transpose(1, 2));
    at::Tensor table = score_table(q, k, offset_cos_, offset_sin_);                       // [E, n, types, offsets]
    const auto types = table.size(2), offsets = table.size(3);
    at::Tensor query_state = state_tokens.narrow(2, first_step - 1, steps);                // s_{t-1}
    at::Tensor entry = (query_state.unsqueeze(3) * types + key_types.unsqueeze(2)) * offsets + offset;
    attention.scores = table.reshape({E, -1}).gather(1, entry.reshape({E, -1})).view({E, N, steps, keys});
  } else {
    at::Tensor table = score_table(beacon_query().unsqueeze(1), beacon_key().unsqueeze(1), offset_cos_, offset_sin_);
    attention.scores = table.view({E, -1}).index_select(1, offset.reshape({-1})).view({E, 1, steps, keys});
  }
  if (causal()) {
    // The query at position L + t reads positions 1 .. L + t (itself included).
    at::Tensor future = key_position.unsqueeze(0).gt(query_position.unsqueeze(1));  // [steps, keys]
    attention.scores = attention.scores.masked_fill(future, -std::numeric_limits<double>::infinity());
  }
  attention.weights = attention.scores.softmax(-1);
  // Weight summed per token type (a scatter: a product with one-hot types would run one tiny matrix
  // product per sequence).
  at::Tensor type_index = key_types.unsqueeze(2).expand({E, N, steps, keys});
  attention.type_weights = at::zeros({E, N, steps, token_types()}, attention.weights.options())
                               .scatter_add(3, type_index, attention.weights.expand({E, N, steps, keys}));
  return attention;
}

at::Tensor GeneralTransformerModel::value_basis() const {
  if (!causal()) return action_embedding_;  // identity value and output: v = sum_a w_a e_a
  return at::matmul(at::matmul(type_vectors(), value_weight_.transpose(1, 2)), output_weight_.transpose(1, 2));
}

GeneralTransformerModel::PreparedLogic GeneralTransformerModel::prepare_logic(const at::Tensor& value_basis) const {
  PreparedLogic logic;
  const std::string& kind = ablation_.logic_module;
  if (kind == "bilinear") {
    logic.cross = read_bilinear(logic_weight_, unembedding(), value_basis, state_embedding_);
  } else if (kind == "bilinear_residual") {
    // W(r, r) with r = v + x: read W on the joint basis (values, states) in both slots.
    const auto E = value_basis.size(0), T = value_basis.size(1);
    at::Tensor basis = at::cat({value_basis, state_embedding_}, 1);
    at::Tensor full = read_bilinear(logic_weight_, unembedding(), basis, basis);  // [E, n', T+n, T+n]
    at::Tensor values = full.narrow(2, 0, T), states = full.narrow(2, T, n());
    logic.value_pair = values.narrow(3, 0, T).reshape({E, n(), T * T}).transpose(1, 2).contiguous();
    logic.cross = values.narrow(3, T, n()) + states.narrow(3, 0, T).transpose(2, 3);
    logic.state_pair = states.narrow(3, T, n()).diagonal(0, 2, 3).transpose(1, 2).contiguous();  // [E, n, n']
  } else {
    // W_1 r + b_1 with r = sum_tau c_tau z_tau + u_s, and the logits U_out (W_2 f + b_2), factored so
    // that a query costs (types + n) x width instead of 2 d x width. The hidden features carry
    // 1/sqrt(width) (NTK scaling, folded into the readout): then, like |v (x) x|^2 = O(1) for the
    // bilinear logic, |features|^2 = O(1), and an SGD step eta_W / d moves the logits by O(eta_W / d) on
    // the same t = steps / d clock; without it the step would be width times larger.
    logic.value_hidden = at::matmul(value_basis, hidden_weight_.transpose(1, 2));
    logic.state_hidden = at::baddbmm(hidden_bias_.unsqueeze(1), state_embedding_, hidden_weight_.transpose(1, 2));
    logic.readout = at::bmm(unembedding(), logic_weight_) / std::sqrt(static_cast<double>(hidden_));
    logic.readout_bias = at::bmm(unembedding(), output_bias_.unsqueeze(2)).squeeze(2);
  }
  return logic;
}

at::Tensor GeneralTransformerModel::logic_logits(const PreparedLogic& logic, const at::Tensor& type_weights,
                                                 const at::Tensor& current_state) const {
  // Chunks of queries keep the temporaries (pairs of types, hidden layers) to a few MB per seed.
  const std::int64_t chunk = 2048, Q = type_weights.size(1);
  if (Q <= chunk) return logic_logits_of_chunk(logic, type_weights, current_state);
  std::vector<at::Tensor> parts;
  for (std::int64_t start = 0; start < Q; start += chunk) {
    const auto size = std::min(chunk, Q - start);
    parts.push_back(logic_logits_of_chunk(logic, type_weights.narrow(1, start, size), current_state.narrow(1, start, size)));
  }
  return at::cat(parts, 1);
}

at::Tensor GeneralTransformerModel::logic_logits_of_chunk(const PreparedLogic& logic, const at::Tensor& type_weights,
                                                          const at::Tensor& current_state) const {
  const auto E = type_weights.size(0), Q = type_weights.size(1), T = type_weights.size(2);
  const std::string& kind = ablation_.logic_module;
  if (kind == "bilinear") return read_by_current_state(logic.cross, type_weights, current_state);
  if (kind == "bilinear_residual") {
    at::Tensor pairs = (type_weights.unsqueeze(3) * type_weights.unsqueeze(2)).reshape({E, Q, T * T});
    return at::baddbmm(gather_rows(logic.state_pair, current_state), pairs, logic.value_pair) +
           read_by_current_state(logic.cross, type_weights, current_state);
  }
  // MLP on the residual stream r = v + x.
  at::Tensor hidden = at::baddbmm(gather_rows(logic.state_hidden, current_state), type_weights, logic.value_hidden);
  return at::baddbmm(logic.readout_bias.unsqueeze(1), activation(ablation_.mlp_activation, hidden),
                     logic.readout.transpose(1, 2));  // [E, Q, n']
}

at::Tensor GeneralTransformerModel::logits(const at::Tensor& actions, const at::Tensor& state_tokens, int first_step,
                                           int steps, Attention* attention) const {
  const auto E = actions.size(0), N = actions.size(1);
  Attention a = attend(actions, state_tokens, first_step, steps);
  at::Tensor z = logic_logits(prepare_logic(value_basis()), a.type_weights.reshape({E, N * steps, token_types()}),
                              state_tokens.narrow(2, first_step - 1, steps).reshape({E, N * steps}));
  if (attention) *attention = std::move(a);
  return z.view({E, N, steps, n()});
}

at::Tensor GeneralTransformerModel::train_step(const at::Tensor& actions, const at::Tensor& states,
                                               const LearningRates& rates) {
  const auto E = actions.size(0), B = actions.size(1);
  at::Tensor z = logits(actions, states.narrow(2, 0, L_), 1, L_).reshape({E, B * L_, n()});
  at::Tensor target = states.narrow(2, 1, L_).reshape({E, B * L_});
  at::Tensor loss = (z.logsumexp(2) - z.gather(2, target.unsqueeze(2)).squeeze(2)).mean(1);
  loss.sum().backward();  // seeds are independent: the sum gives each seed its own gradient
  update(rates);
  return loss.detach();
}

// Learning rates (docs/theory.md §2 keeps two clocks): the attention's weights (W_Q, W_K, and W_V, W_O,
// which shape what attention retrieves) move with eta_A / d; everything that sets the logit-space
// logic tensor T (the logic and the embeddings it is read through) with eta_W / d. single_lr puts
// every weight on eta_W / d.
double GeneralTransformerModel::sgd_rate(const std::string& name, const LearningRates& rates) const {
  const double eta = is_attention_weight(name) && !ablation_.single_lr ? rates.eta_A : rates.eta_W;
  return eta / d();
}

// Adam: step adam_lr for the logic and embeddings; the attention keeps the solvable model's ratio
// eta_A / eta_W of the two clocks (unless single_lr), so that switching the optimizer changes only
// the optimizer.
double GeneralTransformerModel::adam_rate(const std::string& name, const LearningRates& rates) const {
  if (is_attention_weight(name) && !ablation_.single_lr) return ablation_.adam_lr * rates.eta_A / rates.eta_W;
  return ablation_.adam_lr;
}

void GeneralTransformerModel::update(const LearningRates& rates) {
  at::NoGradGuard no_grad;
  const bool adam = ablation_.optimizer == "adam";
  double first_correction = 1, second_correction = 1;
  const double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
  if (adam) {
    adam_steps_.add_(1);
    const double step = adam_steps_.item<double>();
    first_correction = 1 - std::pow(beta1, step);
    second_correction = 1 - std::pow(beta2, step);
  }
  const double root_correction = std::sqrt(second_correction);
  const auto buffers = named_buffers();
  for (auto& p : named_parameters()) {
    at::Tensor& weight = p.value();
    if (!weight.grad().defined()) continue;
    const at::Tensor& gradient = weight.grad();
    if (adam) {
      // Elementwise, so the seeds in the batch stay independent.
      at::Tensor m = buffers["adam_m_" + p.key()], v = buffers["adam_v_" + p.key()];
      at::Tensor g = gradient.contiguous();
      if (!weight.is_contiguous() || !m.is_contiguous() || !v.is_contiguous() || !weight.device().is_cpu())
        throw std::logic_error("Adam step: the weights and moments must be contiguous CPU tensors");
      // lr m_hat / (sqrt(v_hat) + eps), with the bias corrections moved out of the loop.
      const double step = adam_rate(p.key(), rates) * root_correction / first_correction;
      AT_DISPATCH_FLOATING_TYPES(weight.scalar_type(), "adam_pass", [&] {
        adam_pass(weight.data_ptr<scalar_t>(), g.data_ptr<scalar_t>(), m.data_ptr<scalar_t>(), v.data_ptr<scalar_t>(),
                  weight.numel(), beta1, beta2, step, epsilon * root_correction);
      });
    } else {
      weight.sub_(gradient, sgd_rate(p.key(), rates));
    }
    // Dropped rather than zeroed: the next backward then stores its gradient instead of adding it to zeros.
    weight.mutable_grad().reset();
  }
}

at::Tensor GeneralTransformerModel::logit_tensor() const {
  at::NoGradGuard no_grad;
  const int E = seeds(), n = this->n(), K = this->K();
  const auto index = at::TensorOptions().dtype(at::kLong).device(state_embedding_.device());
  // Probe queries (a, s) in the order a * n + s: one-hot attention on e_a, current state s.
  at::Tensor action = at::arange(K, index).repeat_interleave(n);
  at::Tensor state = at::arange(n, index).repeat({K});
  at::Tensor onehot = at::one_hot(action, K).to(state_embedding_.scalar_type()).unsqueeze(0).expand({E, K * n, K});
  at::Tensor z = logic_logits(prepare_logic(action_embedding_), onehot.contiguous(),
                              state.unsqueeze(0).expand({E, K * n}).contiguous());  // [E, K*n, n']
  return z.view({E, K, n, n}).permute({0, 3, 1, 2}).contiguous();
}

at::Tensor GeneralTransformerModel::coefficients() const {
  if (ablation_.logic_module == "mlp" || d() < n()) return {};
  at::NoGradGuard no_grad;
  // Rows of the dual bases (A A^T)^-1 A; the output mode uses the unembedding, whose rows are the
  // output directions of every gradient step (docs/theory.md §3 with tied U).
  auto dual = [](const at::Tensor& A) { return at::linalg_solve(at::bmm(A, A.transpose(1, 2)), A); };
  at::Tensor output = dual(unembedding()), action = dual(action_embedding_), state = dual(state_embedding_);
  at::Tensor C = read_bilinear(logic_weight_, output, action, state);
  // Summed residual: the (attention output, current state) channel is W(v, x) + W(x, v).
  if (ablation_.logic_module == "bilinear_residual") C = C + read_bilinear(logic_weight_, output, state, action).transpose(2, 3);
  return C;
}

std::string GeneralTransformerModel::nonfinite_weight(int e) const {
  at::NoGradGuard no_grad;
  for (const auto& p : named_parameters())
    if (!p.value()[e].isfinite().all().item<bool>()) return p.key();
  return "";
}

at::Tensor GeneralTransformerModel::weight(const std::string& name) const {
  const auto parameters = named_parameters();
  if (const at::Tensor* p = parameters.find(name)) return *p;
  throw std::out_of_range(fmt::format("the general model has no trained weight named \"{}\"", name));
}

}  // namespace cotdyn::simulation
