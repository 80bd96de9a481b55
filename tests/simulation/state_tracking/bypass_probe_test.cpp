// The bypass probe: mean over queries of ||v|| / ||x||.
#include <ATen/ATen.h>

#undef CHECK
#include <doctest/doctest.h>

#include <cotdyn/simulation/state_tracking/bypass_probe.hpp>

using namespace cotdyn::simulation;

TEST_CASE("bypass is the mean over queries of the attention output's norm over the current token's") {
  const auto f64 = at::TensorOptions().dtype(at::kDouble);
  // One seed, two queries in d = 2: ratios 3/1 and 1/2 -> 1.75.
  at::Tensor v = at::tensor({0.0, 3.0, 0.6, 0.8}, f64).view({1, 2, 2});
  at::Tensor x = at::tensor({1.0, 0.0, 0.0, 2.0}, f64).view({1, 2, 2});
  const at::Tensor ratio = bypass_probe(v, x);
  REQUIRE(ratio.sizes() == at::IntArrayRef({1}));
  CHECK(ratio[0].item<double>() == doctest::Approx(1.75).epsilon(1e-14));
  CHECK(bypass_probe_column() == "bypass");
}
