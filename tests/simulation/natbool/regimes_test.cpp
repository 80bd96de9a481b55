#include <torch/torch.h>

#include <doctest/doctest.h>

#include <cotdyn/simulation/natbool/network.hpp>
#include <cotdyn/simulation/natbool/regimes.hpp>

using namespace cotdyn::simulation::natbool;

namespace {

struct Fixture {
  NatboolSettings s;
  std::vector<Dag> dags;
  std::vector<std::vector<std::uint64_t>> inputs;
  explicit Fixture(int r, int m = 8) {
    s.m = m;
    s.r = r;
    s.d = 16;
    s.heads = 2;
    s.seeds = 2;
    for (int e = 0; e < s.seeds; ++e) {
      dags.emplace_back(s.task(e));
      inputs.push_back({1, 2, 3, 17, 100, 255});
    }
  }
};

std::vector<torch::Tensor> gradients_of(cotdyn::simulation::transformer::Transformer& net, const torch::Tensor& loss) {
  net->zero_grad();
  loss.backward();
  std::vector<torch::Tensor> out;
  for (const auto& p : net->parameters()) out.push_back(p.grad().defined() ? p.grad().clone() : torch::zeros_like(p));
  return out;
}

}  // namespace

TEST_CASE("natbool regimes: the latent regimes give the same logits with and without the stop-gradient") {
  Fixture f(4);
  auto net = make_network(f.s, torch::kFloat64);
  const Layout layout = make_layout(f.dags[0], Regime::aligned);
  const auto levels = gate_levels(f.dags[0]);
  const MemberBatch batch = encode_members(f.dags, layout, f.inputs);
  const auto free = forward(*net, layout, levels, batch.tokens, false);
  const auto stopped = forward(*net, layout, levels, batch.tokens, true);
  CHECK(torch::allclose(free.logits, stopped.logits, 0, 0));
  CHECK(free.logits.sizes() == torch::IntArrayRef({2, 6, 3, 2}));          // G = 3 targets
  CHECK(free.latent_logits.sizes() == torch::IntArrayRef({2, 6, 2, 2}));   // G - 1 latents
}

TEST_CASE("natbool regimes: the answer's gradient reaches the earlier passes only without the stop-gradient") {
  Fixture f(4);
  auto net = make_network(f.s, torch::kFloat64);
  const Layout layout = make_layout(f.dags[0], Regime::implicit);
  const auto levels = gate_levels(f.dags[0]);
  const MemberBatch batch = encode_members(f.dags, layout, f.inputs);
  auto answer = [&](bool stop) { return member_losses(forward(*net, layout, levels, batch.tokens, stop).logits, batch.targets).sum(); };
  const auto free = gradients_of(net, answer(false));
  const auto stopped = gradients_of(net, answer(true));
  double difference = 0;
  for (std::size_t i = 0; i < free.size(); ++i) difference += (free[i] - stopped[i]).abs().sum().item<double>();
  CHECK(difference > 1e-8);

  // At r = 2 there is no latent before the answer: the rule changes nothing.
  Fixture g(2);
  auto small = make_network(g.s, torch::kFloat64);
  const Layout l2 = make_layout(g.dags[0], Regime::implicit);
  const auto lv2 = gate_levels(g.dags[0]);
  const MemberBatch b2 = encode_members(g.dags, l2, g.inputs);
  auto a2 = [&](bool stop) { return member_losses(forward(*small, l2, lv2, b2.tokens, stop).logits, b2.targets).sum(); };
  const auto f2 = gradients_of(small, a2(false));
  const auto s2 = gradients_of(small, a2(true));
  for (std::size_t i = 0; i < f2.size(); ++i) CHECK(torch::equal(f2[i], s2[i]));
}

TEST_CASE("natbool regimes: inference reads the same positions as training") {
  for (auto regime : {Regime::direct, Regime::explicit_cot, Regime::implicit, Regime::aligned}) {
    CAPTURE(to_string(regime));
    Fixture f(4);
    auto net = make_network(f.s, torch::kFloat64);
    const Layout layout = make_layout(f.dags[0], regime);
    const auto levels = gate_levels(f.dags[0]);
    const MemberBatch batch = encode_members(f.dags, layout, f.inputs);
    const auto out = forward(*net, layout, levels, batch.tokens, stops_gradient(regime));
    const Inference inference = infer(*net, layout, levels, batch.tokens);
    const int last = static_cast<int>(layout.target_positions.size()) - 1;
    if (regime != Regime::explicit_cot) {
      // The answer is the argmax of the last target's logits.
      CHECK(torch::equal(inference.answer, out.logits.select(2, last).argmax(-1)));
    } else {
      // Greedy decoding: its first generated token is the teacher-forced prediction at position m.
      const auto first = out.logits.select(2, 0).argmax(-1);
      auto prefix = batch.tokens.narrow(2, 0, f.s.m + 1);
      const auto h = net->forward(net->embed(prefix));
      CHECK(torch::equal(first, net->head(h.select(2, f.s.m)).argmax(-1)));
      CHECK(inference.answer.sizes() == torch::IntArrayRef({2, 6}));
    }
    if (regime == Regime::implicit || regime == Regime::aligned) {
      CHECK(torch::equal(inference.latent_bits, out.latent_logits.argmax(-1)));
    } else {
      CHECK_FALSE(inference.latent_bits.defined());
    }
  }
}

TEST_CASE("natbool regimes: a member's tokens and targets come from its own DAG") {
  Fixture f(4);
  const Layout layout = make_layout(f.dags[0], Regime::explicit_cot);
  const MemberBatch batch = encode_members(f.dags, layout, f.inputs);
  for (int e = 0; e < 2; ++e)
    for (int i = 0; i < 6; ++i) {
      const auto c = f.dags[e].gate_values(f.inputs[e][i]);
      CHECK(batch.targets[e][i][2].item<std::int64_t>() == f.dags[e].answer(f.inputs[e][i]));
      CHECK(batch.gate_values[e][i][0].item<std::int64_t>() == c[0]);
      CHECK(batch.tokens[e][i][f.s.m + 1].item<std::int64_t>() == c[0]);  // teacher forcing: c_1 at m + 1
    }
}
