#include <torch/torch.h>

#include <doctest/doctest.h>

#include <cmath>

#include <cotdyn/simulation/transformer/network.hpp>

using namespace cotdyn::simulation::transformer;

namespace {

TransformerSettings small(int members, int outputs = 2) {
  TransformerSettings s;
  s.members = members;
  s.vocabulary = 5;
  s.d = 8;
  s.heads = 2;
  s.layers = 2;
  s.positions = 7;
  s.outputs = outputs;
  return s;
}

torch::Tensor random_tokens(int E, int B, int T, int V, std::uint64_t seed) {
  auto g = at::make_generator<at::CPUGeneratorImpl>(seed);
  return torch::randint(V, {E, B, T}, g, torch::kInt64);
}

}  // namespace

TEST_CASE("transformer: member e of a batched model is the one-member model with seed e, at init and in forward") {
  Transformer batched(small(3), std::vector<std::uint64_t>{10, 11, 12}, torch::kFloat64);
  const auto tokens = random_tokens(3, 4, 6, 5, 1);
  const auto out = batched->head(batched->forward(batched->embed(tokens)));
  for (int e = 0; e < 3; ++e) {
    Transformer single(small(1), std::vector<std::uint64_t>{std::uint64_t(10 + e)}, torch::kFloat64);
    CHECK(torch::equal(single->token_table[0], batched->token_table[e]));
    CHECK(torch::equal(single->position_table[0], batched->position_table[e]));
    const auto alone = single->head(single->forward(single->embed(tokens.narrow(0, e, 1))));
    CHECK(torch::allclose(alone[0], out[e], 1e-12, 1e-12));
  }
}

TEST_CASE("transformer: attention is causal, so a later token does not change earlier outputs") {
  Transformer net(small(2), std::vector<std::uint64_t>{3, 4}, torch::kFloat64);
  auto tokens = random_tokens(2, 3, 6, 5, 2);
  const auto before = net->forward(net->embed(tokens));
  auto changed = tokens.clone();
  changed.select(2, 4).fill_(0);
  changed.select(2, 5).fill_(4);
  const auto after = net->forward(net->embed(changed));
  CHECK(torch::allclose(before.narrow(2, 0, 4), after.narrow(2, 0, 4), 0, 0));
  CHECK_FALSE(torch::allclose(before.narrow(2, 4, 2), after.narrow(2, 4, 2)));
}

TEST_CASE("transformer: initial weights follow the stated scales, LayerNorm gains 1 and biases 0") {
  TransformerSettings s = small(1);
  s.d = 64;
  s.vocabulary = 50;
  s.positions = 50;
  Transformer net(s, std::vector<std::uint64_t>{7}, torch::kFloat64);
  CHECK(net->token_table.std().item<double>() == doctest::Approx(0.02).epsilon(0.05));
  CHECK(net->blocks[0].w_qkv.std().item<double>() == doctest::Approx(0.02).epsilon(0.05));
  CHECK(net->blocks[0].w_o.std().item<double>() == doctest::Approx(0.02 / std::sqrt(4.0)).epsilon(0.05));
  CHECK(net->blocks[1].w_2.std().item<double>() == doctest::Approx(0.02 / std::sqrt(4.0)).epsilon(0.05));
  CHECK(torch::equal(net->lnf_gain, torch::ones_like(net->lnf_gain)));
  CHECK(torch::equal(net->blocks[0].b_qkv, torch::zeros_like(net->blocks[0].b_qkv)));
}

TEST_CASE("transformer: the LayerNorm of member e uses member e's gain and bias (eps 1e-5, biased variance)") {
  auto g = at::make_generator<at::CPUGeneratorImpl>(8);
  const auto options = torch::TensorOptions().dtype(torch::kFloat64);
  const auto x = torch::randn({2, 3, 4, 6}, g, options) * 2 + 1;
  const auto gain = torch::randn({2, 6}, g, options), bias = torch::randn({2, 6}, g, options);
  const auto y = member_layer_norm(x, gain, bias);
  for (int e = 0; e < 2; ++e) {
    const auto mean = x[e].mean(-1, true);
    const auto var = x[e].var(-1, false, true);
    const auto expected = (x[e] - mean) / torch::sqrt(var + 1e-5) * gain[e] + bias[e];
    CHECK(torch::allclose(y[e], expected, 1e-12, 1e-12));
  }
}

TEST_CASE("transformer: the tied head is the final output times the token table") {
  Transformer net(small(2, 0), std::vector<std::uint64_t>{5, 6}, torch::kFloat64);
  const auto h = net->forward(net->embed(random_tokens(2, 3, 4, 5, 4)));
  const auto logits = net->head(h);
  CHECK(logits.size(-1) == 5);
  const auto expected = torch::einsum("ebtd,evd->ebtv", {h, net->token_table});
  CHECK(torch::allclose(logits, expected, 1e-12, 1e-12));
  CHECK_FALSE(net->w_out.defined());
}

TEST_CASE("transformer: a sequence longer than the learned positions is refused") {
  Transformer net(small(1), std::vector<std::uint64_t>{0}, torch::kFloat64);
  CHECK_THROWS_AS(net->embed(random_tokens(1, 1, 8, 5, 5)), std::out_of_range);
  CHECK(net->nonfinite_parameter(0).empty());
  {
    torch::NoGradGuard no_grad;
    net->blocks[1].c_1[0][3] = std::nan("");
  }
  CHECK(net->nonfinite_parameter(0) == "block1_c_1");
}

TEST_CASE("transformer: the residuals are the inputs and the stream after each block, and LN_f of the last is forward") {
  Transformer net(small(2, 0), std::vector<std::uint64_t>{3, 4}, torch::kFloat64);
  const auto inputs = net->embed(random_tokens(2, 3, 4, 5, 9));
  const auto h = net->residuals(inputs);
  REQUIRE(h.size() == 3);  // h_0 and after each of the 2 blocks
  CHECK(torch::equal(h[0], inputs));
  CHECK_FALSE(torch::allclose(h[1], h[0]));
  const auto out = member_layer_norm(h[2], net->lnf_gain, net->lnf_bias);
  CHECK(torch::allclose(out, net->forward(inputs), 1e-14, 1e-14));
}

TEST_CASE("transformer: capturing the attention outputs changes no number, and a_l is the attention branch") {
  Transformer net(small(2, 0), std::vector<std::uint64_t>{3, 4}, torch::kFloat64);
  const auto inputs = net->embed(random_tokens(2, 3, 4, 5, 10));
  const auto plain = net->residuals(inputs);
  std::vector<torch::Tensor> attention;
  const auto captured = net->residuals(inputs, &attention);
  REQUIRE(attention.size() == 2);
  REQUIRE(captured.size() == plain.size());
  for (std::size_t l = 0; l < plain.size(); ++l) CHECK(torch::equal(captured[l], plain[l]));  // bit for bit
  CHECK(torch::equal(member_layer_norm(captured.back(), net->lnf_gain, net->lnf_bias), net->forward(inputs)));
  for (std::size_t l = 0; l < 2; ++l) {
    CHECK(attention[l].sizes() == inputs.sizes());
    // a_l recomputed from the block's weights: W_o Attn(LN1(h_{l-1})) + b_o, head by head.
    const auto& b = net->blocks[l];
    const auto qkv = member_linear(member_layer_norm(plain[l], b.ln1_gain, b.ln1_bias), b.w_qkv, b.b_qkv);
    std::vector<torch::Tensor> heads;
    for (int j = 0; j < 2; ++j) {
      const auto q = qkv.narrow(-1, 4 * j, 4), k = qkv.narrow(-1, 8 + 4 * j, 4), v = qkv.narrow(-1, 16 + 4 * j, 4);
      auto scores = torch::matmul(q, k.transpose(-1, -2)) / 2.0;  // sqrt(d / H) = 2
      scores = scores.masked_fill(torch::ones({4, 4}, torch::kBool).triu(1), -INFINITY);
      heads.push_back(torch::matmul(torch::softmax(scores, -1), v));
    }
    const auto expected = member_linear(torch::cat(heads, -1), b.w_o, b.b_o);
    CHECK(torch::allclose(attention[l], expected, 1e-13, 1e-13));
  }
}
