#include <cotdyn/simulation/state_tracking/measure.hpp>

#include <limits>

#include <ATen/core/grad_mode.h>

#include <cotdyn/simulation/state_tracking/bypass_probe.hpp>
#include <cotdyn/simulation/state_tracking/entropy_probe.hpp>
#include <cotdyn/simulation/state_tracking/sequence_sampler.hpp>
#include <cotdyn/simulation/state_tracking/sparsity_probe.hpp>

namespace cotdyn::simulation {

const std::vector<std::string>& measurement_columns() {
  static const std::vector<std::string> columns = {"M", "alpha", "R", "Q", "P", "R_c", "Q_c", "P_c", "N", "loss",
                                                   "step_acc", "rollout_acc", "final_acc", "var_image", "var_other"};
  return columns;
}

MeasurementProbes probes_of(const SimulationSettings& settings) {
  const auto& a = settings.ablation;
  const bool relu_mlp = a.logic_module == LogicModuleKind::mlp && a.mlp_activation == MlpActivation::relu;
  return {settings.label_noise, relu_mlp};
}

std::vector<std::string> measurement_columns(const MeasurementProbes& probes) {
  std::vector<std::string> columns = measurement_columns();
  if (probes.label_noise > 0) {
    columns.insert(columns.end(), entropy_probe_columns().begin(), entropy_probe_columns().end());
    columns.push_back(bypass_probe_column());
  }
  if (probes.sparsity)
    columns.insert(columns.end(), sparsity_probe_columns().begin(), sparsity_probe_columns().end());
  return columns;
}

EvaluationSet make_evaluation_set(const task::PermutationTask& task, int L, int count, std::uint64_t seed,
                                  const at::Device& device) {
  SequenceSampler sampler(task, L, seed);
  SequenceBatch batch = sampler.sample(count);
  const auto i64 = at::TensorOptions().dtype(at::kLong);
  return {at::from_blob(batch.actions.data(), {count, L}, i64).to(device, /*non_blocking=*/false, /*copy=*/true),
          at::from_blob(batch.states.data(), {count, L + 1}, i64).to(device, false, true)};
}

at::Tensor transition_table(const task::PermutationTask& task, const at::Device& device) {
  const int K = task.num_actions(), n = task.num_states();
  at::Tensor table = at::empty({K, n}, at::TensorOptions().dtype(at::kLong));
  auto t = table.accessor<std::int64_t, 2>();
  for (int a = 0; a < K; ++a)
    for (int s = 0; s < n; ++s) t[a][s] = task.transition[a][s];
  return table.to(device);
}

namespace {
// Masks [n, K, n] of the three classes of docs/theory.md §3.
std::pair<at::Tensor, at::Tensor> class_masks(const at::Tensor& transition, const at::TensorOptions& options) {
  const auto K = transition.size(0), n = transition.size(1);
  // image[s', s] = 1 when s' is one of the K images of s; teacher[s', a, s] = [s' = pi_a(s)].
  at::Tensor teacher = at::one_hot(transition, n).permute({2, 0, 1}).to(options);  // [n, K, n]
  at::Tensor image = teacher.sum(1, /*keepdim=*/true).expand({n, K, n});
  return {teacher, image};
}
}  // namespace

at::Tensor class_means(const at::Tensor& X, const at::Tensor& transition) {
  const double n = X.size(1), K = X.size(2);
  auto [teacher, image] = class_masks(transition, X.options());
  at::Tensor teacher_sum = (X * teacher).sum({1, 2, 3});
  at::Tensor image_sum = (X * image).sum({1, 2, 3});
  at::Tensor total = X.sum({1, 2, 3});
  at::Tensor R = teacher_sum / (n * K);
  at::Tensor Q = (image_sum - teacher_sum) / (n * K * (K - 1));
  at::Tensor P = (total - image_sum) / (n * (n - K) * K);
  return at::stack({R, Q, P}, 1);
}

std::vector<std::vector<double>> rows_per_seed(const at::Tensor& measured) {
  const at::Tensor values = measured.contiguous();
  std::vector<std::vector<double>> rows(static_cast<std::size_t>(values.size(0)));
  for (std::size_t e = 0; e < rows.size(); ++e)
    rows[e].assign(values[e].data_ptr<double>(), values[e].data_ptr<double>() + values.size(1));
  return rows;
}

std::pair<at::Tensor, at::Tensor> logit_noise(const at::Tensor& z, const at::Tensor& w, const at::Tensor& current_state,
                                              const at::Tensor& classes, const at::Tensor& transition) {
  const auto E = z.size(0), count = z.size(1), n = z.size(2), K = w.size(2);
  at::Tensor R = classes.select(1, 0).view({E, 1, 1});
  at::Tensor Q = classes.select(1, 1).view({E, 1, 1});
  at::Tensor P = classes.select(1, 2).view({E, 1, 1});
  at::Tensor images = transition.index_select(1, current_state.reshape({-1})).t().reshape({E, count, K});
  at::Tensor image_deviation = z.gather(2, images) - (R * w + Q * (1 - w));
  at::Tensor var_image = image_deviation.square().mean({1, 2}) - image_deviation.mean({1, 2}).square();
  at::Tensor is_other = at::ones_like(z).scatter_(2, images, 0.0);
  at::Tensor other_deviation = (z - P) * is_other;
  const double other_count = static_cast<double>(count) * static_cast<double>(n - K);
  at::Tensor other_mean = other_deviation.sum({1, 2}) / other_count;
  at::Tensor var_other = other_deviation.square().sum({1, 2}) / other_count - other_mean.square();
  return {var_image, var_other};
}

const std::vector<std::string>& softmax_names() {
  static const std::vector<std::string> names = {"output softmax", "attention softmax"};
  return names;
}

at::Tensor measure(const StateTrackingNetwork& network, const EvaluationSet& evaluation, const at::Tensor& transition,
                   at::Tensor* saturated, const MeasurementProbes& probes) {
  at::NoGradGuard no_grad;
  const int E = network.seeds(), L = network.L();
  const auto retrieval = network.retrieval();

  at::Tensor T = network.logit_tensor();
  at::Tensor logit_classes = class_means(T, transition);  // R, Q, P
  at::Tensor C = network.coefficients();
  // C in its [s', a, s] layout, whatever the model stores (the coefficient storage keeps it by current state):
  // the sums then run in the same order for every storage.
  at::Tensor coefficient_classes = C.defined() ? class_means(C.contiguous(), transition)
                                               : at::full({E, 3}, std::numeric_limits<double>::quiet_NaN(), T.options());

  const auto forced = network.teacher_forced(evaluation, T);
  const at::Tensor& z = forced.logits;  // [E, N*L, n]
  const auto N = evaluation.actions.size(0);
  at::Tensor states = evaluation.states.unsqueeze(0).expand({E, N, L + 1});
  at::Tensor s_cur = states.narrow(2, 0, L).reshape({E, N * L});
  at::Tensor target = states.narrow(2, 1, L).reshape({E, N * L});
  const at::Tensor log_partition = z.logsumexp(2);  // [E, N*L], used twice below
  at::Tensor loss = (log_partition - z.gather(2, target.unsqueeze(2)).squeeze(2)).mean(1);
  at::Tensor step_acc = z.argmax(2).eq(target).to(z.scalar_type()).mean(1);  // ties go to the lowest index
  const auto [var_image, var_other] = logit_noise(z, forced.action_weights, s_cur, logit_classes, transition);

  if (saturated) {
    constexpr double kSaturated = 1e-9;  // 1 - largest probability (run_checks.hpp)
    at::Tensor output = (log_partition - std::get<0>(z.max(2))).lt(kSaturated);
    at::Tensor attention = std::get<0>(forced.action_weights.max(2)).gt(1 - kSaturated);
    *saturated = at::stack({output.to(at::kDouble).mean(1), attention.to(at::kDouble).mean(1)}, 1).to(at::kCPU);
  }
  at::Tensor predicted = network.rollout(evaluation, forced, T);  // [E, N, L]
  at::Tensor truth = states.narrow(2, 1, L);
  at::Tensor rollout_acc = predicted.eq(truth).all(2).to(z.scalar_type()).mean(1);
  at::Tensor final_acc = predicted.select(2, L - 1).eq(truth.select(2, L - 1)).to(z.scalar_type()).mean(1);

  at::Tensor columns = at::stack({retrieval.score, forced.correct_weight, logit_classes.select(1, 0),
                                  logit_classes.select(1, 1), logit_classes.select(1, 2),
                                  coefficient_classes.select(1, 0), coefficient_classes.select(1, 1),
                                  coefficient_classes.select(1, 2), retrieval.norm, loss, step_acc, rollout_acc,
                                  final_acc, var_image, var_other},
                                 1)
                           .to(at::kDouble);
  std::vector<at::Tensor> parts = {columns};
  if (probes.label_noise > 0) {
    parts.push_back(entropy_probe(z, target, probes.label_noise));
    parts.push_back(
        bypass_probe(network.attention_output(evaluation, forced), network.current_tokens(evaluation)).unsqueeze(1));
  }
  if (probes.sparsity) parts.push_back(sparsity_probe(network.hidden_gates(evaluation)));
  return at::cat(parts, 1).to(at::TensorOptions().dtype(at::kDouble).device(at::kCPU));
}

}  // namespace cotdyn::simulation
