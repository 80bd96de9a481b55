#include <cotdyn/simulation/state_tracking/general_transformer_model.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/core/grad_mode.h>
#include <fmt/format.h>

#include <cotdyn/simulation/state_tracking/rope.hpp>

namespace cotdyn::simulation {

namespace {

// Offset of a seed's second random stream (golden-ratio increment): the MLP's first layer and a random
// initial logic are drawn from it, so the first stream stays exactly that of the solvable model.
constexpr std::uint64_t second_stream_offset = 0x9E3779B97F4A7C15ULL;

at::Tensor copy_of(const at::Tensor& x, const at::TensorOptions& options) {
  return x.to(options, /*non_blocking=*/false, /*copy=*/true);
}

}  // namespace

GeneralTransformerModel::GeneralTransformerModel(const ModelInitialisation& init, const std::vector<std::uint64_t>& seeds,
                                                 int L, const AblationSettings& ablation, const at::TensorOptions& options)
    : StateTrackingNetwork(init, L, options, /*trainable=*/ablation.train_embeddings), ablation_(ablation) {
  const auto E = init.state_embedding.size(0), d = init.state_embedding.size(2);
  if (static_cast<std::int64_t>(seeds.size()) != E)
    throw std::invalid_argument(fmt::format("GeneralTransformerModel: {} seeds for {} initialisations", seeds.size(), E));
  if (train_embeddings())
    unembedding_ = register_parameter("unembedding", copy_of(init.state_embedding, options));  // untied, starts at U
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

  logic_ = make_logic_module(ablation, *this, static_cast<int>(E), static_cast<int>(d), options);
  draw_random_weights(seeds, options);
  if (ablation.logic_init > 0) scale_initial_logic();
}

void GeneralTransformerModel::draw_random_weights(const std::vector<std::uint64_t>& seeds,
                                                  const at::TensorOptions& options) {
  at::Tensor first_layer = logic_->first_layer(), logic = logic_->output_weight();
  const bool random_logic = ablation_.logic_init > 0;
  if (!first_layer.defined() && !random_logic) return;
  const auto f64 = at::TensorOptions().dtype(at::kDouble);
  std::vector<at::Tensor> first_layers, logics;
  for (std::uint64_t seed : seeds) {
    at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(seed + second_stream_offset);
    if (first_layer.defined())
      first_layers.push_back(at::randn(first_layer.sizes().slice(1), generator, f64) * std::sqrt(0.5));
    // iid N(0, 1); scale_initial_logic() then sets the scale.
    if (random_logic) logics.push_back(at::randn(logic.sizes().slice(1), generator, f64));
  }
  at::NoGradGuard no_grad;
  if (first_layer.defined()) first_layer.copy_(at::stack(first_layers).to(options));
  if (random_logic) logic.copy_(at::stack(logics).to(options));
}

void GeneralTransformerModel::scale_initial_logic() {
  // T is linear in the logic's output weights (W, or W_2 with b_2 = 0), so one rescaling per seed sets
  // the std (ddof 0, over all n^2 K entries) of T(0) to logic_init exactly. For the bilinear logic with
  // unit-norm embeddings Var T = Var W_ijk, so the factor is logic_init up to quenched O(d^-1/2) overlaps.
  at::NoGradGuard no_grad;
  const auto E = seeds();
  at::Tensor spread = logit_tensor().reshape({E, -1}).std(1, /*unbiased=*/false);
  at::Tensor logic = logic_->output_weight();
  std::vector<std::int64_t> shape(logic.dim(), 1);
  shape[0] = E;
  logic.mul_((ablation_.logic_init / spread).view(shape));
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

PreparedLogic GeneralTransformerModel::prepare_logic(const at::Tensor& value_basis) const {
  return logic_->prepare(value_basis, state_embedding_, unembedding());
}

at::Tensor GeneralTransformerModel::logic_logits(const PreparedLogic& logic, const at::Tensor& type_weights,
                                                 const at::Tensor& current_state) const {
  return logic_->logits(logic, type_weights, current_state);
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

at::Tensor GeneralTransformerModel::loss(const at::Tensor& actions, const at::Tensor& states,
                                         const at::Tensor& targets) const {
  const auto E = actions.size(0), B = actions.size(1);
  at::Tensor z = logits(actions, states.narrow(2, 0, L_), 1, L_).reshape({E, B * L_, n()});
  return cross_entropy(z, targets.reshape({E, B * L_}));
}

StateTrackingNetwork::Retrieval GeneralTransformerModel::retrieval() const {
  at::Tensor q = beacon_query(), k = beacon_key();
  return {retrieval_score(), 0.5 * (q.square().sum(1) + k.square().sum(1))};
}

StateTrackingNetwork::TeacherForced GeneralTransformerModel::teacher_forced(const EvaluationSet& evaluation,
                                                                            const at::Tensor&) const {
  const int E = seeds(), L = L_;
  const auto N = evaluation.actions.size(0);
  at::Tensor actions = evaluation.actions.unsqueeze(0).expand({E, N, L}).contiguous();
  at::Tensor tokens = evaluation.states.unsqueeze(0).expand({E, N, L + 1}).narrow(2, 0, L).contiguous();
  const auto attention = attend(actions, tokens, 1, L);
  at::Tensor c = attention.type_weights.reshape({E, N * L, token_types()});
  at::Tensor z = logic_logits(prepare_logic(value_basis()), c, tokens.reshape({E, N * L}));  // [E, N*L, n]
  // Keys 0..L-1 are the action positions 1..L: query t's correct key is its t-th.
  at::Tensor alpha = attention.weights.narrow(3, 0, L).diagonal(0, 2, 3).mean({1, 2});
  // w_b is the attention weight on the tokens of action b.
  return {z, c.narrow(2, 0, K()), alpha};
}

std::pair<at::Tensor, at::Tensor> GeneralTransformerModel::teacher_forced_inputs(const EvaluationSet& evaluation) const {
  const int E = seeds(), L = L_;
  const auto N = evaluation.actions.size(0);
  at::Tensor actions = evaluation.actions.unsqueeze(0).expand({E, N, L}).contiguous();
  at::Tensor tokens = evaluation.states.unsqueeze(0).expand({E, N, L + 1}).narrow(2, 0, L).contiguous();
  const auto attention = attend(actions, tokens, 1, L);
  return {attention.type_weights.reshape({E, N * L, token_types()}), tokens.reshape({E, N * L})};
}

at::Tensor GeneralTransformerModel::attention_output(const EvaluationSet& evaluation,
                                                     const TeacherForced& teacher_forced) const {
  at::NoGradGuard no_grad;
  if (!causal()) return StateTrackingNetwork::attention_output(evaluation, teacher_forced);
  return at::bmm(teacher_forced_inputs(evaluation).first, value_basis());
}

at::Tensor GeneralTransformerModel::hidden_gates(const EvaluationSet& evaluation) const {
  at::NoGradGuard no_grad;
  const auto [c, state] = teacher_forced_inputs(evaluation);
  return logic_->hidden_gates(prepare_logic(value_basis()), c, state);
}

at::Tensor GeneralTransformerModel::rollout(const EvaluationSet& evaluation, const TeacherForced&,
                                            const at::Tensor&) const {
  const int E = seeds(), L = L_;
  const auto N = evaluation.actions.size(0);
  at::Tensor actions = evaluation.actions.unsqueeze(0).expand({E, N, L}).contiguous();
  const auto logic = prepare_logic(value_basis());
  at::Tensor rolled = at::zeros({E, N, L}, actions.options());
  rolled.select(2, 0).copy_(evaluation.states.select(1, 0).unsqueeze(0).expand({E, N}));  // s_0
  std::vector<at::Tensor> steps;
  for (int t = 1; t <= L; ++t) {
    const auto step = attend(actions, rolled, t, 1);
    at::Tensor predicted =
        logic_logits(logic, step.type_weights.reshape({E, N, token_types()}), rolled.select(2, t - 1)).argmax(2);
    steps.push_back(predicted);
    if (t < L) rolled.select(2, t).copy_(predicted);
  }
  return at::stack(steps, 2);
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
  if (d() < n()) return {};
  at::NoGradGuard no_grad;
  // Rows of the dual bases (A A^T)^-1 A; the output mode uses the unembedding, whose rows are the
  // output directions of every gradient step (docs/theory.md §3 with tied U).
  auto dual = [](const at::Tensor& A) { return at::linalg_solve(at::bmm(A, A.transpose(1, 2)), A); };
  return logic_->coefficients(dual(unembedding()), dual(action_embedding_), dual(state_embedding_));
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
