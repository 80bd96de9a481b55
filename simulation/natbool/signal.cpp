#include <cotdyn/simulation/natbool/signal.hpp>

#include <cmath>

#include <torch/torch.h>

#include <cotdyn/simulation/natbool/network.hpp>
#include <cotdyn/simulation/natbool/regimes.hpp>

namespace cotdyn::simulation::natbool {

std::vector<TargetSignal> initial_signals(const NatboolSettings& settings, Regime regime, SignalTargets which,
                                          int chunk) {
  validate(settings);
  const int E = settings.seeds;
  std::vector<Dag> dags;
  for (int e = 0; e < E; ++e) dags.emplace_back(settings.task(e));
  Layout layout = make_layout(dags.front(), regime);
  const std::vector<int> levels = gate_levels(dags.front());
  if (which == SignalTargets::first_level) {
    // Keep the targets of level-1 gates and the passes up to the last pass that makes one.
    Layout first = layout;
    first.target_positions.clear();
    first.target_gates.clear();
    for (std::size_t k = 0; k < layout.target_gates.size(); ++k)
      if (levels[layout.target_gates[k] - 1] == 1) {
        first.target_positions.push_back(layout.target_positions[k]);
        first.target_gates.push_back(layout.target_gates[k]);
      }
    if (regime == Regime::implicit || regime == Regime::aligned) first.pass_lengths.resize(1);
    layout = first;
  }
  // Float64 (the same draws as the float32 training weights, unrounded): the higher orders cancel
  // to 1e-10 of the single terms.
  auto network = make_network(settings, torch::kFloat64);
  const auto parameters = network->parameters();
  const int K = static_cast<int>(layout.target_positions.size());
  const std::int64_t count = std::int64_t(1) << settings.m;

  // Per target, the accumulated gradient of E_x[s f] for every parameter.
  std::vector<std::vector<torch::Tensor>> sums(K);
  for (auto& s : sums)
    for (const auto& p : parameters) s.push_back(torch::zeros_like(p));
  for (std::int64_t first = 0; first < count; first += chunk) {
    const std::int64_t n = std::min<std::int64_t>(chunk, count - first);
    std::vector<std::uint64_t> xs(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) xs[std::size_t(i)] = std::uint64_t(first + i);
    const MemberBatch batch = encode_members(dags, layout, std::vector<std::vector<std::uint64_t>>(E, xs));
    const RegimeOutputs out = forward(*network, layout, levels, batch.tokens, /*stop_gradient=*/false);
    const torch::Tensor f = out.logits.select(3, 1) - out.logits.select(3, 0);  // [E, n, K]
    const torch::Tensor s = 1 - 2 * batch.targets.to(f.dtype());                // [E, n, K]
    for (int k = 0; k < K; ++k) {
      const torch::Tensor objective = (s.select(2, k) * f.select(2, k)).sum() / double(count);
      const auto grads = torch::autograd::grad({objective}, parameters, {}, /*retain_graph=*/k + 1 < K,
                                               /*create_graph=*/false, /*allow_unused=*/true);
      for (std::size_t j = 0; j < parameters.size(); ++j)
        if (grads[j].defined()) sums[k][j] += grads[j];
    }
  }

  std::vector<TargetSignal> result;
  const auto names = network->named_parameters();
  const std::int64_t d = settings.d;
  for (int k = 0; k < K; ++k) {
    TargetSignal t;
    t.regime = regime;
    t.r = settings.r;
    t.target = k;
    t.gate = layout.target_gates[k];
    t.level = levels[t.gate - 1];
    torch::Tensor all = torch::zeros({E}, torch::kFloat64), qk = torch::zeros({E}, torch::kFloat64);
    std::size_t j = 0;
    for (const auto& item : names) {
      const torch::Tensor g = sums[k][j++].to(torch::kFloat64);
      all += g.pow(2).flatten(1).sum(1);
      if (item.key().find("w_qkv") != std::string::npos) qk += g.narrow(2, 0, 2 * d).pow(2).flatten(1).sum(1);
    }
    for (int e = 0; e < E; ++e) {
      t.S.push_back(std::sqrt(all[e].item<double>()));
      t.S_qk.push_back(std::sqrt(qk[e].item<double>()));
    }
    result.push_back(std::move(t));
  }
  return result;
}

}  // namespace cotdyn::simulation::natbool
