#include <cotdyn/simulation/two_hop/arms.hpp>

#include <algorithm>
#include <limits>

#include <cotdyn/simulation/transformer/bypass_probe.hpp>

namespace cotdyn::simulation::two_hop {

namespace {

constexpr std::int64_t kChunk = 4096;  // evaluation items per forward pass

torch::Tensor as_tensor(const std::vector<std::int64_t>& values, std::int64_t rows, std::int64_t columns) {
  return torch::tensor(values, torch::kInt64).view({rows, columns});
}

// Token ids [N, T] of facts (`h r`) or two-hops (`h r1 r2`, with `b` appended when with_bridge).
torch::Tensor fact_tokens(const Vocabulary& v, const std::vector<Fact>& facts) {
  std::vector<std::int64_t> ids;
  for (const auto& f : facts) ids.insert(ids.end(), {v.entity(f.h), v.relation(f.r)});
  return as_tensor(ids, std::int64_t(facts.size()), 2);
}
torch::Tensor two_hop_tokens(const Vocabulary& v, const std::vector<TwoHop>& items, bool with_bridge) {
  std::vector<std::int64_t> ids;
  for (const auto& x : items) {
    ids.insert(ids.end(), {v.entity(x.h), v.relation(x.r1), v.relation(x.r2)});
    if (with_bridge) ids.push_back(v.entity(x.b));
  }
  return as_tensor(ids, std::int64_t(items.size()), with_bridge ? 4 : 3);
}

// The greedy token at `position` of every member for tokens [E, N, T]: [E, N].
torch::Tensor greedy_at(transformer::TransformerImpl& network, const torch::Tensor& tokens, std::int64_t position) {
  const torch::Tensor out = network.forward(network.embed(tokens)).select(2, position);  // [E, N, d]
  return network.head(out).argmax(-1);
}

std::vector<double> to_vector(const torch::Tensor& t) {
  const torch::Tensor c = t.to(torch::kFloat64).contiguous();
  return {c.data_ptr<double>(), c.data_ptr<double>() + c.numel()};
}

}  // namespace

MemberBatch encode_members(const std::vector<Row>& rows, const std::vector<std::vector<std::size_t>>& indices,
                           int length) {
  const auto E = std::int64_t(indices.size()), B = std::int64_t(indices.front().size());
  std::vector<std::int64_t> tokens(std::size_t(E * B * length), 0), targets(tokens.size(), kIgnoreTarget);
  for (std::int64_t e = 0; e < E; ++e)
    for (std::int64_t k = 0; k < B; ++k) {
      const Row& row = rows.at(indices[e][k]);
      const std::size_t base = std::size_t((e * B + k) * length);
      std::copy(row.tokens.begin(), row.tokens.end(), tokens.begin() + base);
      for (std::size_t j = 0; j < row.targets.size(); ++j) targets[base + row.target_positions[j]] = row.targets[j];
    }
  return {torch::tensor(tokens, torch::kInt64).view({E, B, length}),
          torch::tensor(targets, torch::kInt64).view({E, B, length})};
}

torch::Tensor member_losses(transformer::TransformerImpl& network, const MemberBatch& batch) {
  const auto E = batch.tokens.size(0);
  const torch::Tensor logits = network.head(network.forward(network.embed(batch.tokens)));  // [E, B, T, V]
  const torch::Tensor flat_targets = batch.targets.reshape({E, -1});
  const torch::Tensor ce = torch::nn::functional::cross_entropy(
      logits.reshape({-1, logits.size(-1)}), batch.targets.reshape({-1}),
      torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone).ignore_index(kIgnoreTarget));
  const torch::Tensor counts = flat_targets.ne(kIgnoreTarget).sum(1).to(ce.dtype());
  return ce.view({E, -1}).sum(1) / counts;
}

std::vector<double> probe_accuracy(transformer::TransformerImpl& network, const Vocabulary& vocab,
                                   const ProbeSet& probe, Arm arm, std::vector<double>* bridge) {
  torch::NoGradGuard no_grad;
  const auto E = network.settings().members;
  const bool two_hop = !probe.two_hops.empty();
  const std::int64_t N = two_hop ? std::int64_t(probe.two_hops.size()) : std::int64_t(probe.facts.size());
  if (!probe.available || N == 0) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (bridge) bridge->assign(E, nan);
    return std::vector<double>(E, nan);
  }
  torch::Tensor right = torch::zeros({E}, torch::kInt64), bridge_right = torch::zeros({E}, torch::kInt64);
  for (std::int64_t start = 0; start < N; start += kChunk) {
    const std::int64_t n = std::min(kChunk, N - start);
    if (!two_hop) {
      const std::vector<Fact> part(probe.facts.begin() + start, probe.facts.begin() + start + n);
      std::vector<std::int64_t> t;
      for (const auto& f : part) t.push_back(vocab.entity(f.t));
      const torch::Tensor tokens = fact_tokens(vocab, part).unsqueeze(0).expand({E, n, 2});
      right += greedy_at(network, tokens, 1).eq(torch::tensor(t, torch::kInt64)).sum(1);
      continue;
    }
    const std::vector<TwoHop> part(probe.two_hops.begin() + start, probe.two_hops.begin() + start + n);
    std::vector<std::int64_t> b, t;
    for (const auto& x : part) {
      b.push_back(vocab.entity(x.b));
      t.push_back(vocab.entity(x.t));
    }
    const torch::Tensor b_true = torch::tensor(b, torch::kInt64), t_true = torch::tensor(t, torch::kInt64);
    const torch::Tensor prompt = two_hop_tokens(vocab, part, false).unsqueeze(0).expand({E, n, 3});
    if (arm == Arm::no_cot) {
      right += greedy_at(network, prompt, 2).eq(t_true).sum(1);
      continue;
    }
    const torch::Tensor b_hat = greedy_at(network, prompt, 2);                      // [E, n]
    const torch::Tensor t_hat = greedy_at(network, torch::cat({prompt, b_hat.unsqueeze(2)}, 2), 3);  // b̂ fed back
    const torch::Tensor b_ok = b_hat.eq(b_true);
    right += b_ok.logical_and(t_hat.eq(t_true)).sum(1);
    bridge_right += b_ok.sum(1);
  }
  if (bridge) *bridge = two_hop && arm == Arm::cot ? to_vector(bridge_right.to(torch::kFloat64) / double(N))
                                                   : std::vector<double>(E, std::numeric_limits<double>::quiet_NaN());
  return to_vector(right.to(torch::kFloat64) / double(N));
}

LogitLens logit_lens(transformer::TransformerImpl& network, const Vocabulary& vocab, const std::vector<TwoHop>& items,
                     Arm arm) {
  torch::NoGradGuard no_grad;
  const auto E = network.settings().members;
  const auto N = std::int64_t(items.size());
  LogitLens lens;
  if (N == 0) return lens;
  std::vector<std::int64_t> b, t;
  for (const auto& x : items) {
    b.push_back(vocab.entity(x.b));
    t.push_back(vocab.entity(x.t));
  }
  const torch::Tensor b_true = torch::tensor(b, torch::kInt64), t_true = torch::tensor(t, torch::kInt64);
  // MRR over the items of the right entity at `position` after each block: [E][L + 1].
  auto mrr = [&](const torch::Tensor& tokens, std::int64_t position, const torch::Tensor& right) {
    std::vector<std::vector<double>> out(E);
    for (const auto& h : network.residuals(network.embed(tokens))) {
      const torch::Tensor at = h.select(2, position);  // [E, N, d]
      const torch::Tensor logits = network.head(
          transformer::member_layer_norm(at, network.lnf_gain, network.lnf_bias)).narrow(-1, 0, vocab.num_entities);
      const torch::Tensor own = logits.gather(2, right.view({1, N, 1}).expand({E, N, 1}));  // [E, N, 1]
      const torch::Tensor rank = logits.gt(own).sum(2).to(torch::kFloat64) + 1;           // 1 = best
      const auto per_member = to_vector(rank.reciprocal().mean(1));
      for (int e = 0; e < E; ++e) out[e].push_back(per_member[e]);
    }
    return out;
  };
  const torch::Tensor prompt = two_hop_tokens(vocab, items, false).unsqueeze(0).expand({E, N, 3});
  lens.bridge_at_r1 = mrr(prompt, 1, b_true);
  lens.bridge_at_r2 = mrr(prompt, 2, b_true);
  if (arm == Arm::cot)
    lens.answer_at_b = mrr(two_hop_tokens(vocab, items, true).unsqueeze(0).expand({E, N, 4}), 3, t_true);
  return lens;
}

BlockBypass block_bypass(const transformer::TransformerImpl& network, const Vocabulary& vocab,
                         const std::vector<TwoHop>& items, Arm arm) {
  torch::NoGradGuard no_grad;
  const auto E = network.settings().members;
  const auto N = std::int64_t(items.size());
  BlockBypass bypass;
  if (N == 0) return bypass;
  bypass.at_r2 = transformer::attention_bypass(
      network, network.embed(two_hop_tokens(vocab, items, false).unsqueeze(0).expand({E, N, 3})), 2);
  if (arm == Arm::cot)
    bypass.at_b = transformer::attention_bypass(
        network, network.embed(two_hop_tokens(vocab, items, true).unsqueeze(0).expand({E, N, 4})), 3);
  return bypass;
}

}  // namespace cotdyn::simulation::two_hop
