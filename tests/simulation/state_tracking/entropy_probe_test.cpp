// The entropy probe: each column against its definition computed with the full target vector, the
// decomposition H_target - entropy = kl + sharpening, the calibrated model, and bad label noise.
#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <cmath>
#include <stdexcept>

#include <cotdyn/meanfield/state_tracking/label_noise.hpp>
#include <cotdyn/simulation/state_tracking/entropy_probe.hpp>

#undef CHECK
#include <doctest/doctest.h>

using namespace cotdyn::simulation;

namespace {
constexpr int n = 24;
const auto f64 = at::TensorOptions().dtype(at::kDouble);

double target_entropy(double eps) {
  cotdyn::meanfield::ModelParameters p;
  p.n = n;
  p.label_noise = eps;
  return cotdyn::meanfield::target_entropy(p);
}
}  // namespace

TEST_CASE("the entropy probe's columns equal their definitions and H_target - entropy = kl + sharpening") {
  const double eps = 0.3;
  at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(5);
  const int E = 2, Q = 50;
  at::Tensor z = 3.0 * at::randn({E, Q, n}, generator, f64);
  at::Tensor correct = at::randint(n, {E, Q}, generator, at::TensorOptions().dtype(at::kLong));
  const at::Tensor columns = entropy_probe(z, correct, eps);
  REQUIRE(columns.sizes() == at::IntArrayRef({E, 4}));
  REQUIRE(entropy_probe_columns() == std::vector<std::string>{"entropy", "p_correct", "sharpening", "kl"});

  // The full target vector p per query, and each definition written out.
  at::Tensor q = z.softmax(2);
  at::Tensor p = at::full({E, Q, n}, eps / n, f64).scatter_(2, correct.unsqueeze(2), 1 - eps + eps / n);
  at::Tensor H_q = -(q * q.log()).sum(2).mean(1);
  at::Tensor kl = (q * (q.log() - p.log())).sum(2).mean(1);
  at::Tensor second = ((q - p) * p.log()).sum(2).mean(1);  // sum_i (q_i - p_i) log p_i
  at::Tensor q_c = q.gather(2, correct.unsqueeze(2)).squeeze(2).mean(1);
  for (int e = 0; e < E; ++e) {
    CHECK(columns[e][0].item<double>() == doctest::Approx(H_q[e].item<double>()).epsilon(1e-12));
    CHECK(columns[e][1].item<double>() == doctest::Approx(q_c[e].item<double>()).epsilon(1e-12));
    CHECK(columns[e][2].item<double>() == doctest::Approx(second[e].item<double>()).epsilon(1e-10));
    CHECK(columns[e][3].item<double>() == doctest::Approx(kl[e].item<double>()).epsilon(1e-12));
    const double identity = target_entropy(eps) - columns[e][0].item<double>() -
                            (columns[e][3].item<double>() + columns[e][2].item<double>());
    CHECK(std::abs(identity) < 1e-12);
    CHECK(columns[e][3].item<double>() > 0);  // random logits are far from the target
  }
}

TEST_CASE("a calibrated model has the target's entropy, no KL and no sharpening") {
  const double eps = 0.3;
  at::Tensor correct = at::arange(n, at::TensorOptions().dtype(at::kLong)).unsqueeze(0);  // [1, n]
  const double p_c = 1 - eps + eps / n;
  at::Tensor p = at::full({1, n, n}, eps / n, f64).scatter_(2, correct.unsqueeze(2), p_c);
  const at::Tensor columns = entropy_probe(p.log(), correct, eps);
  CHECK(columns[0][0].item<double>() == doctest::Approx(target_entropy(eps)).epsilon(1e-12));
  CHECK(columns[0][1].item<double>() == doctest::Approx(p_c).epsilon(1e-12));
  CHECK(std::abs(columns[0][2].item<double>()) < 1e-12);
  CHECK(std::abs(columns[0][3].item<double>()) < 1e-12);
  // Sharper than the target on the correct state: positive sharpening, entropy below the target's.
  const at::Tensor sharp = entropy_probe(2.0 * p.log(), correct, eps);
  CHECK(sharp[0][2].item<double>() > 0);
  CHECK(sharp[0][0].item<double>() < target_entropy(eps));
}

TEST_CASE("the entropy probe refuses label noise outside (0, 1)") {
  at::Tensor z = at::zeros({1, 2, n}, f64);
  at::Tensor correct = at::zeros({1, 2}, at::TensorOptions().dtype(at::kLong));
  for (double eps : {0.0, 1.0, -0.1}) {
    CAPTURE(eps);
    CHECK_THROWS_AS(entropy_probe(z, correct, eps), std::invalid_argument);
  }
}
