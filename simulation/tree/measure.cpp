#include <cotdyn/simulation/tree/measure.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include <cotdyn/meanfield/tree/integrate.hpp>

namespace cotdyn::simulation::tree {

namespace {

// argmax over the last dimension with ties to the lowest index.
torch::Tensor first_argmax(const torch::Tensor& z) {
  const auto top = std::get<0>(z.max(-1, true));
  const auto N = z.size(-1);
  const auto candidates = torch::where(z == top, torch::arange(N, z.options().dtype(torch::kLong)), N);
  return std::get<0>(candidates.min(-1));
}

}  // namespace

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

Evaluation evaluate(const TreeNetworkImpl& network, const std::vector<Sample>& samples, int chunk) {
  torch::NoGradGuard no_grad;
  const auto& layout = network.layout;
  const int E = network.E, H = network.H, Q = layout.queries, D = layout.depth;
  const auto options = torch::TensorOptions().dtype(torch::kDouble);
  const auto M = network.logit_tables();
  const bool forward_task = Q > D;
  auto loss = torch::zeros({E}, options), correct = torch::zeros({E}, options), margins = torch::zeros({E, Q}, options);
  auto mass_B = torch::zeros({E, H}, options), mass_F = torch::zeros({E, H}, options);
  auto exact = torch::zeros({E}, options), forward_exact = torch::zeros({E}, options);
  const auto stage_B = (layout.stage == 0).to(torch::kDouble), stage_F = (layout.stage == 1).to(torch::kDouble);
  const auto total = static_cast<double>(samples.size());
  for (std::size_t first = 0; first < samples.size(); first += chunk) {
    const std::size_t count = std::min<std::size_t>(chunk, samples.size() - first);
    Batch batch = shared_batch(samples, first, count, E);
    const auto pass = table_forward(M, batch, layout);
    const auto& z = pass.logits;  // [E, B, Q, N]
    loss += loss_per_seed(z, batch.targets) * (static_cast<double>(count) / total);
    correct += (first_argmax(z) == batch.targets).to(torch::kDouble).mean(2).sum(1) / total;
    const auto target_logit = z.gather(3, batch.targets.unsqueeze(3)).squeeze(3);
    const auto others = z.scatter(3, batch.targets.unsqueeze(3), -std::numeric_limits<double>::infinity());
    margins += (target_logit - std::get<0>(others.max(3))).sum(1) / total;

    // Retrieval masses: attention on keys whose X (B queries) or Y (F queries) slot is x_q.
    const auto current = batch.y.index_select(2, layout.positions).unsqueeze(3);  // [E, B, Q, 1]
    const auto match_X = (batch.x.unsqueeze(2) == current).to(torch::kDouble);    // [E, B, Q, T]
    const auto match_Y = (batch.y.unsqueeze(2) == current).to(torch::kDouble);
    const auto on_X = (pass.attention * match_X.unsqueeze(1)).sum(4).sum(2);       // [E, H, Q]
    const auto on_Y = (pass.attention * match_Y.unsqueeze(1)).sum(4).sum(2);
    mass_B += (on_X * stage_B).sum(2) / (total * D);
    if (forward_task) mass_F += (on_Y * stage_F).sum(2) / (total * D);

    // Rollout: the token after query q becomes (Y_{i_q}, prediction at i_q); flags stay. A sample
    // whose teacher-forced predictions are all right rolls out to the same predictions, so only the
    // others (for any seed) are rolled out.
    auto predictions = first_argmax(z);  // [E, B, Q]
    const auto wrong = (predictions != batch.targets).any(2).any(0).nonzero().view({-1});
    if (wrong.numel() > 0) {
      auto x = batch.x.index_select(1, wrong), y = batch.y.index_select(1, wrong);
      const auto targets = batch.targets.index_select(1, wrong);
      auto rolled = torch::empty_like(targets);
      for (int q = 0; q < Q; ++q) {
        const auto prediction = first_argmax(table_forward(M, Batch{x, y, targets}, layout).logits.select(2, q));
        rolled.select(2, q).copy_(prediction);
        if (q + 1 < Q) {
          const auto i = layout.edges + q;
          x.select(2, i + 1).copy_(y.select(2, i));
          y.select(2, i + 1).copy_(prediction);
        }
      }
      predictions.index_copy_(1, wrong, rolled);
    }
    const auto right = predictions == batch.targets;  // [E, B, Q]
    exact += right.all(2).to(torch::kDouble).sum(1) / total;
    if (forward_task) forward_exact += right.slice(2, D, Q).all(2).to(torch::kDouble).sum(1) / total;
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (!forward_task) {
    mass_F.fill_(nan);
    forward_exact.fill_(nan);
  }
  return {loss, correct, margins, mass_B, mass_F, exact, forward_exact};
}

std::vector<std::vector<double>> measure(const TreeNetworkImpl& network, const TreeSettings& settings,
                                         const std::vector<Sample>& evaluation_set) {
  const int E = network.E, H = network.H;
  const auto logit = class_means(network.logit_tables()).contiguous();
  const auto coefficient = class_means(network.coefficient_tables()).contiguous();
  const bool forward_task = settings.task == Task::forward;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Evaluation ev;
  if (!evaluation_set.empty()) ev = evaluate(network, evaluation_set);
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
