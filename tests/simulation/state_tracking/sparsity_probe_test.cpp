// The sparsity probe on gates written by hand.
#include <ATen/ATen.h>

#undef CHECK
#include <doctest/doctest.h>

#include <cotdyn/simulation/state_tracking/sparsity_probe.hpp>

using namespace cotdyn::simulation;

TEST_CASE("dead fraction counts units never active, active fraction averages the active units per query") {
  // Two seeds, three queries, four units. Seed 0: unit 0 never active, unit 1 always, unit 2 on query
  // 0, unit 3 on query 2: 1 of 4 dead; active per query 2/4, 1/4, 2/4 -> 5/12. Seed 1: nothing active.
  at::Tensor gates = at::zeros({2, 3, 4}, at::TensorOptions().dtype(at::kBool));
  for (int q = 0; q < 3; ++q) gates[0][q][1] = true;
  gates[0][0][2] = true;
  gates[0][2][3] = true;
  const at::Tensor probe = sparsity_probe(gates);
  REQUIRE(probe.sizes() == at::IntArrayRef({2, 2}));
  REQUIRE(sparsity_probe_columns() == std::vector<std::string>{"dead_fraction", "active_fraction"});
  CHECK(probe[0][0].item<double>() == doctest::Approx(0.25));
  CHECK(probe[0][1].item<double>() == doctest::Approx((2.0 + 2.0 + 1.0) / 12.0));
  CHECK(probe[1][0].item<double>() == doctest::Approx(1.0));
  CHECK(probe[1][1].item<double>() == doctest::Approx(0.0));
}
