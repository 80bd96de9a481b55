// The two arms on the shared transformer (docs/models/two_hop.md §4, §8): member-batched rows, the
// loss over the target tokens only, greedy decoding with the predicted bridge fed back, the logit
// lens and the per-block bypass, each held to a direct computation with the network.
#include <torch/torch.h>

#include <doctest/doctest.h>

#include <cmath>

#include <cotdyn/simulation/two_hop/arms.hpp>

namespace th = cotdyn::simulation::two_hop;
namespace tr = cotdyn::simulation::transformer;

namespace {
th::TaskData small_task() {
  th::Parameters p;
  p.num_entities = 30;
  p.num_relations = 6;
  p.out_degree = 3;
  p.ood_ratio = 0.2;
  p.lambda = 1.5;
  p.min_test_id = 20;
  return th::generated_task(th::make_dataset(p));
}

tr::Transformer network(const th::TaskData& task, int layers = 2) {
  tr::TransformerSettings s;
  s.members = 2;
  s.vocabulary = task.vocab.size();
  s.d = 16;
  s.heads = 2;
  s.layers = layers;
  s.positions = 4;
  s.outputs = 0;
  s.init_std = 0.5;  // large weights, so that greedy outputs differ between items
  return tr::Transformer(s, std::vector<std::uint64_t>{3, 4}, torch::kFloat64);
}

torch::Tensor logits_of(tr::Transformer& net, const std::vector<std::int64_t>& tokens) {
  const auto t = torch::tensor(tokens, torch::kInt64).view({1, 1, -1}).expand({2, 1, std::int64_t(tokens.size())});
  return net->head(net->forward(net->embed(t)));  // [2, 1, T, V]
}
}  // namespace

TEST_CASE("two_hop arms: rows of every member as one padded batch, targets only where the rows have them") {
  const auto task = small_task();
  const auto rows = th::training_rows(task, th::Arm::cot);
  const std::size_t k = task.train_facts.size();  // the first two-hop row
  const auto batch = th::encode_members(rows, {{0, k}, {k, 1}}, 4);
  CHECK(batch.tokens.sizes() == torch::IntArrayRef{2, 2, 4});
  CHECK(batch.tokens[0][0][2].item<std::int64_t>() == 0);  // an atomic row is padded
  CHECK(batch.targets[0][0][0].item<std::int64_t>() == th::kIgnoreTarget);
  CHECK(batch.targets[0][0][1].item<std::int64_t>() == rows[0].targets[0]);
  CHECK(batch.targets[0][1][2].item<std::int64_t>() == rows[k].targets[0]);
  CHECK(batch.targets[0][1][3].item<std::int64_t>() == rows[k].targets[1]);
  CHECK(batch.targets[1][0][3].item<std::int64_t>() == rows[k].targets[1]);
}

TEST_CASE("two_hop arms: a member's loss is the mean cross-entropy over its own target tokens") {
  const auto task = small_task();
  auto net = network(task);
  const auto rows = th::training_rows(task, th::Arm::cot);
  const std::size_t k = task.train_facts.size();
  const auto losses = th::member_losses(*net, th::encode_members(rows, {{0, k}, {1, 2}}, 4));
  // Member 0: one atomic target and the two CoT targets of row k, averaged over 3 targets.
  auto ce = [&](const std::vector<int>& tokens, int position, int target, int member) {
    const auto l = logits_of(net, std::vector<std::int64_t>(tokens.begin(), tokens.end()))[member][0][position];
    return (torch::logsumexp(l, 0) - l[target]).item<double>();
  };
  const double expected = (ce(rows[0].tokens, 1, rows[0].targets[0], 0) + ce(rows[k].tokens, 2, rows[k].targets[0], 0) +
                           ce(rows[k].tokens, 3, rows[k].targets[1], 0)) / 3;
  CHECK(losses[0].item<double>() == doctest::Approx(expected).epsilon(1e-12));
  const double expected1 = (ce(rows[1].tokens, 1, rows[1].targets[0], 1) + ce(rows[2].tokens, 1, rows[2].targets[0], 1)) / 2;
  CHECK(losses[1].item<double>() == doctest::Approx(expected1).epsilon(1e-12));
}

TEST_CASE("two_hop arms: greedy accuracy decodes t after the predicted bridge, item by item") {
  const auto task = small_task();
  auto net = network(task);
  const auto& set = th::probe(task, "test_inferred_iid");
  std::vector<double> bridge;
  const auto cot = th::probe_accuracy(*net, task.vocab, set, th::Arm::cot, &bridge);
  const auto no_cot = th::probe_accuracy(*net, task.vocab, set, th::Arm::no_cot);
  const auto& v = task.vocab;
  for (int e = 0; e < 2; ++e) {
    int right = 0, right_no_cot = 0, bridges = 0;
    for (const auto& x : set.two_hops) {
      const std::vector<std::int64_t> prompt = {v.entity(x.h), v.relation(x.r1), v.relation(x.r2)};
      const auto b_hat = logits_of(net, prompt)[e][0][2].argmax().item<std::int64_t>();
      auto with_b = prompt;
      with_b.push_back(b_hat);
      const auto t_hat = logits_of(net, with_b)[e][0][3].argmax().item<std::int64_t>();
      bridges += b_hat == x.b;
      right += b_hat == x.b && t_hat == x.t;
      right_no_cot += logits_of(net, prompt)[e][0][2].argmax().item<std::int64_t>() == x.t;
    }
    const double n = double(set.two_hops.size());
    CHECK(cot[e] == doctest::Approx(right / n));
    CHECK(bridge[e] == doctest::Approx(bridges / n));
    CHECK(no_cot[e] == doctest::Approx(right_no_cot / n));
  }
  const auto& atomic = th::probe(task, "id_atomic");
  const auto acc = th::probe_accuracy(*net, task.vocab, atomic, th::Arm::no_cot);
  int right = 0;
  for (const auto& f : atomic.facts)
    right += logits_of(net, {v.entity(f.h), v.relation(f.r)})[0][0][1].argmax().item<std::int64_t>() == f.t;
  CHECK(acc[0] == doctest::Approx(right / double(atomic.facts.size())));
  th::ProbeSet missing;
  missing.available = false;
  CHECK(std::isnan(th::probe_accuracy(*net, task.vocab, missing, th::Arm::cot)[0]));
}

TEST_CASE("two_hop arms: the logit lens after the last block is the network's own ranking of the entities") {
  const auto task = small_task();
  auto net = network(task);
  const auto& items = th::probe(task, "test_inferred_iid").two_hops;
  const auto lens = th::logit_lens(*net, task.vocab, items, th::Arm::cot);
  REQUIRE(lens.bridge_at_r1.size() == 2);
  REQUIRE(lens.bridge_at_r1[0].size() == 3);  // embeddings and 2 blocks
  REQUIRE(lens.answer_at_b[1].size() == 3);
  const auto& v = task.vocab;
  for (int e = 0; e < 2; ++e) {
    double mrr_r2 = 0, mrr_t = 0;
    for (const auto& x : items) {
      const auto l = logits_of(net, {v.entity(x.h), v.relation(x.r1), v.relation(x.r2), v.entity(x.b)})[e][0];
      const auto at_r2 = l[2].narrow(0, 0, v.num_entities), at_b = l[3].narrow(0, 0, v.num_entities);
      mrr_r2 += 1.0 / (at_r2.gt(at_r2[x.b]).sum().item<double>() + 1);
      mrr_t += 1.0 / (at_b.gt(at_b[x.t]).sum().item<double>() + 1);
    }
    CHECK(lens.bridge_at_r2[e][2] == doctest::Approx(mrr_r2 / items.size()).epsilon(1e-12));
    CHECK(lens.answer_at_b[e][2] == doctest::Approx(mrr_t / items.size()).epsilon(1e-12));
    for (double x : lens.bridge_at_r1[e]) {
      CHECK(x > 0);
      CHECK(x <= 1);
    }
  }
  CHECK(th::logit_lens(*net, task.vocab, items, th::Arm::no_cot).answer_at_b.empty());
}

TEST_CASE("two_hop arms: the per-block bypass is ||a_l|| / ||h_(l-1)|| at r2 and, under CoT, at b, item by item") {
  const auto task = small_task();
  auto net = network(task);
  const auto& items = th::probe(task, "test_inferred_iid").two_hops;
  const auto bypass = th::block_bypass(*net, task.vocab, items, th::Arm::cot);
  REQUIRE(bypass.at_r2.size() == 2);     // members
  REQUIRE(bypass.at_r2[0].size() == 2);  // blocks 1 and 2
  REQUIRE(bypass.at_b[1].size() == 2);
  const auto& v = task.vocab;
  // One item alone: the ratio of block l at `position`, member e.
  auto ratio = [&](const std::vector<std::int64_t>& tokens, std::int64_t position, int e, int l) {
    const auto t = torch::tensor(tokens, torch::kInt64).view({1, 1, -1}).expand({2, 1, std::int64_t(tokens.size())});
    std::vector<torch::Tensor> attention;
    const auto h = net->residuals(net->embed(t), &attention);
    return (attention[l - 1][e][0][position].norm() / h[l - 1][e][0][position].norm()).item<double>();
  };
  for (int e = 0; e < 2; ++e)
    for (int l = 1; l <= 2; ++l) {
      double r2 = 0, b = 0;
      for (const auto& x : items) {
        const std::vector<std::int64_t> prompt = {v.entity(x.h), v.relation(x.r1), v.relation(x.r2)};
        r2 += ratio(prompt, 2, e, l);
        b += ratio({v.entity(x.h), v.relation(x.r1), v.relation(x.r2), v.entity(x.b)}, 3, e, l);
      }
      CHECK(bypass.at_r2[e][l - 1] == doctest::Approx(r2 / items.size()).epsilon(1e-12));
      CHECK(bypass.at_b[e][l - 1] == doctest::Approx(b / items.size()).epsilon(1e-12));
      CHECK(bypass.at_r2[e][l - 1] > 0);
    }
  const auto no_cot = th::block_bypass(*net, task.vocab, items, th::Arm::no_cot);
  CHECK(no_cot.at_b.empty());
  CHECK(no_cot.at_r2 == bypass.at_r2);  // the same network and prompt: the arm only adds the b position
  CHECK(th::block_bypass(*net, task.vocab, {}, th::Arm::cot).at_r2.empty());
}
