// The per-block attention-bypass probe of the shared transformer: ||a_l|| / ||h_{l-1}|| at one
// position, mean over the batch, held to hand-built cases (attention output weights zero, a zeroed MLP
// so that the stream's increment is the attention output) and to its range.
#include <torch/torch.h>

#include <doctest/doctest.h>

#include <cmath>

#include <cotdyn/simulation/transformer/bypass_probe.hpp>

using namespace cotdyn::simulation::transformer;

namespace {

TransformerSettings small() {
  TransformerSettings s;
  s.members = 2;
  s.vocabulary = 5;
  s.d = 8;
  s.heads = 2;
  s.layers = 2;
  s.positions = 4;
  s.outputs = 0;
  s.init_std = 0.5;
  return s;
}

torch::Tensor tokens(std::uint64_t seed) {
  auto g = at::make_generator<at::CPUGeneratorImpl>(seed);
  return torch::randint(5, {2, 3, 4}, g, torch::kInt64);
}

// Per member, the mean over the batch of ||a|| / ||h|| at `position`, for a [E, d] a (the same for every
// item) and the stream h [E, B, T, d].
double expected_ratio(const torch::Tensor& a, const torch::Tensor& h, int e, int position) {
  const auto norms = h[e].select(1, position).norm(2, {1});  // [B]
  return (a[e].norm() / norms).mean().item<double>();
}

}  // namespace

TEST_CASE("bypass per block: zero attention output weights leave ||b_o|| / ||h_(l-1)||, and 0 with b_o = 0") {
  Transformer net(small(), std::vector<std::uint64_t>{3, 4}, torch::kFloat64);
  auto g = at::make_generator<at::CPUGeneratorImpl>(11);
  {
    torch::NoGradGuard no_grad;
    for (auto& b : net->blocks) {
      b.w_o.zero_();
      b.b_o.copy_(torch::randn(b.b_o.sizes(), g, torch::kFloat64));
    }
  }
  const auto inputs = net->embed(tokens(1));
  const auto h = net->residuals(inputs);
  for (int position : {0, 2, 3}) {
    CAPTURE(position);
    const auto bypass = attention_bypass(*net, inputs, position);
    REQUIRE(bypass.size() == 2);     // members
    REQUIRE(bypass[0].size() == 2);  // blocks 1 and 2
    for (int e = 0; e < 2; ++e)
      for (int l = 1; l <= 2; ++l)
        CHECK(bypass[e][l - 1] == doctest::Approx(expected_ratio(net->blocks[l - 1].b_o, h[l - 1], e, position))
                                      .epsilon(1e-13));
  }
  {
    torch::NoGradGuard no_grad;
    for (auto& b : net->blocks) b.b_o.zero_();
  }
  for (const auto& member : attention_bypass(*net, inputs, 3))
    for (double x : member) CHECK(x == 0);
}

TEST_CASE("bypass per block: with the MLP zeroed, a_l is the stream's increment h_l - h_(l-1)") {
  Transformer net(small(), std::vector<std::uint64_t>{5, 6}, torch::kFloat64);
  {
    torch::NoGradGuard no_grad;
    for (auto& b : net->blocks) {
      b.w_2.zero_();
      b.c_2.zero_();
    }
  }
  const auto inputs = net->embed(tokens(2));
  const auto h = net->residuals(inputs);
  const auto bypass = attention_bypass(*net, inputs, 2);
  for (int e = 0; e < 2; ++e)
    for (int l = 1; l <= 2; ++l) {
      const auto increment = (h[l] - h[l - 1])[e].select(1, 2).norm(2, {1});  // [B]
      const double expected = (increment / h[l - 1][e].select(1, 2).norm(2, {1})).mean().item<double>();
      CHECK(bypass[e][l - 1] == doctest::Approx(expected).epsilon(1e-12));
      CHECK(bypass[e][l - 1] > 0);
      CHECK(std::isfinite(bypass[e][l - 1]));
    }
  CHECK_THROWS_AS(attention_bypass(*net, inputs, 4), std::out_of_range);
}
