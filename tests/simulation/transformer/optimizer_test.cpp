#include <torch/torch.h>

#include <doctest/doctest.h>

#include <cotdyn/simulation/transformer/network.hpp>
#include <cotdyn/simulation/transformer/optimizer.hpp>

using namespace cotdyn::simulation::transformer;

namespace {

TransformerSettings small(int members) {
  TransformerSettings s;
  s.members = members;
  s.vocabulary = 4;
  s.d = 8;
  s.heads = 2;
  s.layers = 1;
  s.positions = 5;
  s.outputs = 3;
  return s;
}

// A fixed regression-style loss per member on fixed tokens: sum over members of the mean squared logits
// against fixed targets.
torch::Tensor member_loss(Transformer& net, const torch::Tensor& tokens, const torch::Tensor& targets) {
  const auto logits = net->head(net->forward(net->embed(tokens)));
  return (logits - targets).pow(2).flatten(1).mean(1);
}

void train(Transformer& net, const OptimizerSettings& s, const torch::Tensor& tokens, const torch::Tensor& targets,
           int steps) {
  auto optimizer = make_optimizer(*net, s);
  for (int i = 0; i < steps; ++i) train_step(*net, *optimizer, s, member_loss(net, tokens, targets).sum(), i);
}

}  // namespace

TEST_CASE("optimizer: members batched in one model train exactly as separate runs (AdamW, warm-up, clipping)") {
  auto g = at::make_generator<at::CPUGeneratorImpl>(9);
  const auto tokens = torch::randint(4, {3, 6, 5}, g, torch::kInt64);
  const auto targets = torch::randn({3, 6, 5, 3}, g, torch::TensorOptions().dtype(torch::kFloat64)) * 3;
  OptimizerSettings s;
  s.lr = 1e-2;
  s.weight_decay = 0.1;
  s.warmup_steps = 3;
  s.clip_norm = 0.05;  // small enough to clip every member
  Transformer batched(small(3), std::vector<std::uint64_t>{20, 21, 22}, torch::kFloat64);
  train(batched, s, tokens, targets, 5);
  for (int e = 0; e < 3; ++e) {
    Transformer single(small(1), std::vector<std::uint64_t>{std::uint64_t(20 + e)}, torch::kFloat64);
    train(single, s, tokens.narrow(0, e, 1), targets.narrow(0, e, 1), 5);
    const auto a = batched->named_parameters();
    const auto b = single->named_parameters();
    for (const auto& item : a) {
      CAPTURE(item.key());
      CHECK(torch::allclose(item.value()[e], b[item.key()][0], 1e-12, 1e-13));
    }
  }
}

TEST_CASE("optimizer: the clip is per member, so a member with a small gradient is not scaled") {
  Transformer net(small(2), std::vector<std::uint64_t>{1, 2}, torch::kFloat64);
  for (auto& p : net->parameters()) {
    p.mutable_grad() = torch::zeros_like(p);
  }
  net->token_table.mutable_grad()[0].fill_(10.0);   // member 0: norm 10 * sqrt(4 * 8)
  net->token_table.mutable_grad()[1].fill_(1e-4);   // member 1: norm 1e-4 * sqrt(32)
  clip_member_gradients(*net, 1.0);
  const double n0 = net->token_table.grad()[0].norm().item<double>();
  const double n1 = net->token_table.grad()[1].norm().item<double>();
  CHECK(n0 == doctest::Approx(1.0).epsilon(1e-5));
  CHECK(n1 == doctest::Approx(1e-4 * std::sqrt(32.0)).epsilon(1e-12));
}

TEST_CASE("optimizer: weight decay 0 is torch::optim::Adam, otherwise AdamW") {
  Transformer net(small(1), std::vector<std::uint64_t>{0}, torch::kFloat64);
  OptimizerSettings s;
  CHECK(dynamic_cast<torch::optim::Adam*>(make_optimizer(*net, s).get()) != nullptr);
  s.weight_decay = 0.01;
  CHECK(dynamic_cast<torch::optim::AdamW*>(make_optimizer(*net, s).get()) != nullptr);
}

TEST_CASE("optimizer: AdamW decays the matrices and tables and leaves biases and LayerNorm alone") {
  Transformer net(small(2), std::vector<std::uint64_t>{0, 1}, torch::kFloat64);
  OptimizerSettings s;
  s.weight_decay = 0.5;
  s.lr = 0.1;
  auto optimizer = make_optimizer(*net, s);
  REQUIRE(optimizer->param_groups().size() == 2);
  for (const auto& p : optimizer->param_groups()[0].params()) CHECK(p.dim() == 3);
  for (const auto& p : optimizer->param_groups()[1].params()) CHECK(p.dim() == 2);
  CHECK(optimizer->param_groups()[0].params().size() + optimizer->param_groups()[1].params().size() ==
        net->parameters().size());
  // With a zero loss, AdamW's only change is the decay: W <- W (1 - lr wd); a LayerNorm gain stays 1.
  const auto table = net->token_table.detach().clone();
  const auto gain = net->lnf_gain.detach().clone();
  const torch::Tensor zero = net->head(net->forward(net->embed(torch::zeros({2, 1, 2}, torch::kInt64)))).sum() * 0;
  train_step(*net, *optimizer, s, zero, /*step=*/0);
  CHECK(torch::allclose(net->token_table, table * (1 - s.lr * s.weight_decay), 1e-14, 1e-14));
  CHECK(torch::equal(net->lnf_gain, gain));
}
