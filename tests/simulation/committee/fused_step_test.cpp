// The fused step (docs/models/committee.md §8.2) against the tensor step with torch::optim::SGD it
// replaces: the same seeds give the same losses and weights after a few hundred steps, for erf and
// linear, with and without a trained second layer, weight decay and label noise. The two differ
// only by floating-point rounding (the order of the dot products' sums, and erf/exp evaluated by
// LibTorch's vectorised kernels or by the C library).
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <torch/torch.h>

#include <cotdyn/simulation/committee/network.hpp>
#include <cotdyn/simulation/committee/system.hpp>

// c10 logging (glog) defines CHECK; the assertions here are doctest's.
#undef CHECK
#include <doctest/doctest.h>

using namespace cotdyn::simulation::committee;
namespace mf = cotdyn::meanfield::committee;

namespace {

// max |a - b| / max |b|: the difference relative to the tensor's scale.
double relative_difference(const torch::Tensor& a, const torch::Tensor& b) {
  return (a.detach() - b.detach()).abs().max().item<double>() / b.detach().abs().max().item<double>();
}

// Measured largest differences over the ten runs below (300 steps, N = 100): w 3.1e-15 and v
// 7.9e-16 relative to the weights' scale, |delta| 3.6e-15 absolute. The tolerances leave a margin of
// 6 to 8 over them. The step's error delta = y_hat - y is compared, not the loss 1/2 delta^2
// relative to itself: delta is a difference of O(1) outputs, rounded to about 1e-16 of them, so when
// the noise makes delta small by chance the loss's relative rounding error grows without bound
// (2.7e-12 at worst in one realisation of the inputs, 8.4e-11 in another).
constexpr double weight_tolerance = 2e-14;
constexpr double delta_tolerance = 3e-14;
constexpr int steps = 300;

void check_against_tensor_step(const CommitteeSettings& s) {
  CommitteeSystem fused(s, StepMode::fused), tensor(s, StepMode::closed_form);
  double largest_delta_difference = 0;
  for (int step = 0; step < steps; ++step) {
    const auto a = fused.train_step(), b = tensor.train_step();
    REQUIRE(a.size() == b.size());
    for (std::size_t e = 0; e < a.size(); ++e)  // |delta| = sqrt(2 loss)
      largest_delta_difference = std::max(largest_delta_difference, std::abs(std::sqrt(2 * a[e]) - std::sqrt(2 * b[e])));
  }
  const double dw = relative_difference(fused.network().w, tensor.network().w);
  const double dv = relative_difference(fused.network().v, tensor.network().v);
  CHECK(dw < weight_tolerance);
  CHECK(dv < weight_tolerance);
  CHECK(largest_delta_difference < delta_tolerance);
  // The comparison means something: the weights moved far beyond the tolerance.
  const double w_moved = relative_difference(fused.network().w, CommitteeSystem(s).network().w);
  CHECK(w_moved > 1e-2);
  if (s.eta_v > 0) CHECK(relative_difference(fused.network().v, CommitteeSystem(s).network().v) > 1e-3);
  if (s.eta_v == 0) CHECK(torch::equal(fused.network().v, CommitteeSystem(s).network().v));
  // The teacher is never touched.
  CHECK(torch::equal(fused.network().w_star, tensor.network().w_star));
}

CommitteeSettings settings() {
  CommitteeSettings s;
  s.N = 100;
  s.K = 3;
  s.M = 2;
  s.seeds = 3;
  s.base_seed = 11;
  s.test_size = 10;
  s.eta = 0.7;
  s.init_scale = 0.5;
  s.v0 = {0.8, -0.5, 1.2};
  s.v_star = {1.0, 0.6};
  return s;
}

// Both activations with the same options; the linear network at a smaller eta, where it is stable.
void check_both_activations(const CommitteeSettings& options) {
  for (const auto activation : {mf::Activation::erf, mf::Activation::linear}) {
    const std::string name = activation == mf::Activation::erf ? "erf" : "linear";
    CAPTURE(name);
    CommitteeSettings s = options;
    s.activation = activation;
    if (activation == mf::Activation::linear) s.eta = 0.3;
    check_against_tensor_step(s);
  }
}

}  // namespace

TEST_CASE("the fused step gives the tensor step's losses and weights after 300 steps") {
  CommitteeSettings s = settings();
  SUBCASE("second layer fixed, no decay, no noise") { check_both_activations(s); }
  SUBCASE("second layer trained") {
    s.eta_v = 0.4;
    check_both_activations(s);
  }
  SUBCASE("second layer trained, weight decay and label noise") {
    s.eta_v = 0.4;
    s.kappa = 0.2;
    s.sigma = 0.3;
    check_both_activations(s);
  }
  SUBCASE("second layer fixed under weight decay, label noise") {
    s.kappa = 0.2;
    s.sigma = 0.3;
    check_both_activations(s);
  }
  SUBCASE("mini-batches of 5 inputs, second layer trained, weight decay and label noise") {
    s.batch = 5;
    s.eta_v = 0.4;
    s.kappa = 0.2;
    s.sigma = 0.3;
    check_both_activations(s);
  }
  SUBCASE("more units than fused_step keeps on the stack (16), second layer trained") {
    s.K = 18;
    s.M = 17;
    s.v0 = {0.3};
    s.v_star = {0.4};
    s.eta_v = 0.4;
    s.kappa = 0.1;
    check_both_activations(s);
  }
}

TEST_CASE("float32: the fused and the tensor step agree to float rounding and follow the float64 run") {
  // Same seeds, same inputs rounded to float: after 300 steps the float32 runs differ from each
  // other by the order of their sums and from the float64 run by float rounding, amplified by the
  // dynamics. Measured: fused against tensor 4.1e-7, float32 against float64 6.0e-7 (relative, w).
  CommitteeSettings s = settings();
  s.eta_v = 0.4;
  s.sigma = 0.3;
  s.batch = 2;
  CommitteeSettings single = s;
  single.dtype = cotdyn::simulation::Precision::float32;
  CommitteeSystem fused(single, StepMode::fused), tensor(single, StepMode::closed_form), reference(s, StepMode::fused);
  CHECK((fused.network().w.scalar_type() == torch::kFloat));
  for (int step = 0; step < steps; ++step) {
    fused.train_step();
    tensor.train_step();
    reference.train_step();
  }
  const auto w64 = reference.network().w;
  const double fused_tensor = relative_difference(fused.network().w.to(torch::kDouble), tensor.network().w.to(torch::kDouble));
  const double single_double = relative_difference(fused.network().w.to(torch::kDouble), w64);
  MESSAGE("float32: fused against tensor " << fused_tensor << ", against float64 " << single_double);
  CHECK(fused_tensor < 1e-5);
  CHECK(single_double < 1e-4);
  CHECK(single_double > 1e-9);  // it did run in float
  // The measurements are in double whatever the precision, with the same columns.
  CHECK(fused.observable_names() == reference.observable_names());
  const auto rows = fused.observe(), rows64 = reference.observe();
  CHECK(std::abs(rows[0][0] - rows64[0][0]) < 1e-4 * rows64[0][0]);
}
