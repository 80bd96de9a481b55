// The Jensen gap: zero for a model that stands still, -log 2 for two snapshots on different states,
// never positive, and its state.
#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <cmath>

#include <cotdyn/simulation/entropy/jensen_gap.hpp>

#undef CHECK
#include <doctest/doctest.h>

using cotdyn::simulation::entropy::JensenGap;

TEST_CASE("the Jensen gap is zero for repeated snapshots and E H(q_t) - H(E q_t) otherwise") {
  const auto f64 = at::TensorOptions().dtype(at::kDouble);
  at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(2);
  at::Tensor z = at::randn({2, 7, 5}, generator, f64);
  JensenGap still;
  for (int i = 0; i < 4; ++i) still.add(z);
  CHECK(still.gap().abs().max().item<double>() < 1e-14);

  // Two one-hot-ish snapshots on different states: H(mean) = log 2 more than each, so the gap is -log 2.
  at::Tensor a = at::full({1, 1, 2}, -1e3, f64), b = a.clone();
  a[0][0][0] = 0;
  b[0][0][1] = 0;
  JensenGap moving;
  moving.add(a);
  moving.add(b);
  CHECK(moving.gap()[0].item<double>() == doctest::Approx(-std::log(2.0)).epsilon(1e-12));

  // A general window: the definition written out, and the state round trip.
  at::Tensor w = at::randn({2, 7, 5}, generator, f64);
  JensenGap window;
  window.add(z);
  window.add(w);
  at::Tensor qz = z.softmax(2), qw = w.softmax(2), m = 0.5 * (qz + qw);
  const auto H = [](const at::Tensor& q) { return -(q * q.log()).sum(2).mean(1); };
  at::Tensor expected = 0.5 * (H(qz) + H(qw)) - H(m);
  CHECK((window.gap() - expected).abs().max().item<double>() < 1e-13);
  CHECK((window.gap() <= 0).all().item<bool>());  // entropy is concave
  JensenGap restored;
  restored.set_state(window.state(), window.snapshots(), 7, 5);
  CHECK((restored.gap() - window.gap()).abs().max().item<double>() == 0);
}
