#include <torch/torch.h>

#include <doctest/doctest.h>

#include <cotdyn/simulation/natbool/network.hpp>

using namespace cotdyn::simulation::natbool;

TEST_CASE("natbool network: every regime at one r and seed starts from the same weights, float32 the rounded float64") {
  NatboolSettings s;
  auto a = make_network(s, torch::kFloat64);
  auto b = make_network(s, torch::kFloat32);
  CHECK(torch::equal(a->blocks[1].w_1.to(torch::kFloat32), b->blocks[1].w_1));
  CHECK(a->settings().vocabulary == 4);
  CHECK(a->settings().positions == s.m + s.gates() + 2);
  // A different r changes only the position table's length: the other weights are drawn first.
  s.r = 6;
  auto c = make_network(s, torch::kFloat64);
  CHECK(torch::equal(a->blocks[0].w_qkv, c->blocks[0].w_qkv));
  CHECK(torch::equal(a->w_out, c->w_out));
}
