#include <cotdyn/simulation/tree/measure.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include <cotdyn/meanfield/tree/integrate.hpp>
#include <cotdyn/simulation/tree/table_kernel.hpp>

namespace cotdyn::simulation::tree {

torch::Tensor class_means(const torch::Tensor& tables) {
  const double N = static_cast<double>(tables.size(-1));
  const auto diagonal = tables.diagonal(0, -2, -1).sum(-1);
  const auto total = tables.sum({-2, -1});
  return torch::stack({diagonal / N, (total - diagonal) / (N * (N - 1))}, -1).flatten(-2);  // [..., 6] -> [..., 12]
}

std::vector<std::string> column_names(const TreeSettings& settings) {
  using meanfield::tree::head_column;
  std::vector<std::string> names;
  for (const char* suffix : {"", "_logit"})
    for (int h = 0; h < settings.H; ++h)
      for (const char* name : meanfield::tree::order_parameter_names) names.push_back(head_column(h, name) + suffix);
  for (int h = 0; h < settings.H; ++h) {
    names.push_back(head_column(h, "m_B"));
    if (settings.task == Task::forward) names.push_back(head_column(h, "m_F"));
  }
  for (const char* name : {"loss", "step_acc", "exact_acc", "min_margin"}) names.push_back(name);
  for (int q = 0; q < settings.tree_task().queries(); ++q) names.push_back(fmt::format("margin_q{}", q));
  if (settings.task == Task::forward) names.push_back("forward_exact_acc");
  return names;
}

Evaluation evaluate(const TreeNetworkImpl& network, const std::vector<Sample>& samples, int threads) {
  const auto& layout = network.layout;
  const int E = network.E, H = network.H, Q = layout.queries, N = network.N;
  const TreeTask task{Q > layout.depth ? Task::forward : Task::backward, N, layout.depth};
  const auto M = network.logit_tables().contiguous();
  const std::size_t per_seed = std::size_t(H) * blocks_per_head * N * N;
  std::vector<EvaluationSums> sums(E);
  for_each_seed(E, threads, [&](int e) {
    evaluate_samples({M.data_ptr<double>() + e * per_seed, H, N}, task, samples, 0, samples.size(), sums[e]);
  });
  const auto options = torch::TensorOptions().dtype(torch::kDouble);
  const double total = static_cast<double>(samples.size()), nan = std::numeric_limits<double>::quiet_NaN();
  Evaluation ev{torch::empty({E}, options), torch::empty({E}, options), torch::empty({E, Q}, options),
                torch::empty({E, H}, options), torch::empty({E, H}, options), torch::empty({E}, options),
                torch::empty({E}, options)};
  const bool forward_task = task.task == Task::forward;
  for (int e = 0; e < E; ++e) {
    ev.loss[e] = sums[e].loss / total;
    ev.accuracy[e] = sums[e].correct / total;
    for (int q = 0; q < Q; ++q) ev.margins[e][q] = sums[e].margins[q] / total;
    for (int h = 0; h < H; ++h) {
      ev.mass_B[e][h] = sums[e].mass_B[h] / total;
      ev.mass_F[e][h] = forward_task ? sums[e].mass_F[h] / total : nan;
    }
    ev.exact_match[e] = sums[e].exact / total;
    ev.forward_exact_match[e] = forward_task ? sums[e].forward_exact / total : nan;
  }
  return ev;
}

std::vector<std::vector<double>> measure(const TreeNetworkImpl& network, const TreeSettings& settings,
                                         const std::vector<Sample>& evaluation_set) {
  const int E = network.E, H = network.H;
  const auto logit = class_means(network.logit_tables()).contiguous();
  const auto coefficient = class_means(network.coefficient_tables()).contiguous();
  const bool forward_task = settings.task == Task::forward;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Evaluation ev;
  if (!evaluation_set.empty()) ev = evaluate(network, evaluation_set, settings.threads);
  const auto value = [&](const torch::Tensor& t, auto... i) { return t.defined() ? t.index({i...}).template item<double>() : nan; };
  std::vector<std::vector<double>> rows(E);
  for (int e = 0; e < E; ++e) {
    auto& row = rows[e];
    for (const auto* space : {&coefficient, &logit})
      for (int h = 0; h < H; ++h)
        for (int i = 0; i < 12; ++i) row.push_back((*space)[e][h][i].item<double>());
    for (int h = 0; h < H; ++h) {
      row.push_back(value(ev.mass_B, e, h));
      if (forward_task) row.push_back(value(ev.mass_F, e, h));
    }
    row.push_back(value(ev.loss, e));
    row.push_back(value(ev.accuracy, e));
    row.push_back(value(ev.exact_match, e));
    const int Q = network.layout.queries;
    double min_margin = nan;
    if (ev.margins.defined()) min_margin = ev.margins[e].min().item<double>();
    row.push_back(min_margin);
    for (int q = 0; q < Q; ++q) row.push_back(value(ev.margins, e, q));
    if (forward_task) row.push_back(value(ev.forward_exact_match, e));
  }
  return rows;
}

}  // namespace cotdyn::simulation::tree
