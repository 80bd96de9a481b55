#include <cmath>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <cotdyn/simulation/state_tracking/rope.hpp>

#include <doctest/doctest.h>

using namespace cotdyn::simulation;

namespace {
const auto f64 = at::TensorOptions().dtype(at::kDouble);
constexpr int L = 9, d = 32;
}  // namespace

TEST_CASE("the period schedule is exactly periodic in the position (docs/theory.md §2.2)") {
  const auto [cos0, sin0] = rope_tables(L, d, 0, f64);
  const auto [cosL, sinL] = rope_tables(L, d, L, f64);
  CHECK(at::equal(cos0, cosL));
  CHECK(at::equal(sin0, sinL));
  // Plane m turns by f_m = 1 + (m mod (L-1)) periods of L positions: at position 1, angle 2 pi f_m / L.
  const auto [cos1, sin1] = rope_tables(L, d, 1, f64);
  for (int m = 0; m < d / 2; ++m) {
    const double angle = 2 * 3.14159265358979323846 * (1 + m % (L - 1)) / L;
    CHECK(cos1[0][m].item<double>() == doctest::Approx(std::cos(angle)).epsilon(1e-15));
    CHECK(sin1[0][m].item<double>() == doctest::Approx(std::sin(angle)).epsilon(1e-15));
  }
}

TEST_CASE("rotations preserve norms, and the score table is the score of the rotated vectors") {
  at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(5);
  at::Tensor q = at::randn({2, d}, generator, f64), k = at::randn({2, d}, generator, f64);
  const auto [cos_q, sin_q] = rope_tables(L, d, L + 1, f64);  // query positions L+1 .. 2L
  const auto [cos_k, sin_k] = rope_tables(L, d, 1, f64);      // key positions 1 .. L
  at::Tensor rq = rotate(q, cos_q, sin_q), rk = rotate(k, cos_k, sin_k);  // [2, L, d]
  CHECK(at::allclose(rq.norm(2, {2}), q.norm(2, {1}, true).expand({2, L}), 1e-14, 0));
  AblationSettings period;
  const auto [cos_o, sin_o] = offset_tables(L, d, period, f64);
  at::Tensor table = score_table(q.unsqueeze(1), k.unsqueeze(1), cos_o, sin_o).view({2, offset_count(L)});
  for (int i = 0; i < L; ++i)
    for (int j = 0; j < L; ++j) {
      const int offset = (L + 1 + i) - (1 + j);
      const double direct = (rq.select(1, i) * rk.select(1, j)).sum(1)[1].item<double>();
      CHECK(table[1][offset - first_offset(L)].item<double>() == doctest::Approx(direct).epsilon(1e-12));
    }
}

TEST_CASE("the geometric schedule has theta_m = base^(-2m/d) and is not periodic") {
  AblationSettings geometric;
  geometric.rope = RopeSchedule::geometric;
  geometric.rope_base = 100.0;
  const auto [cos_o, sin_o] = offset_tables(L, d, geometric, f64);
  const int m = 3, offset = 2;
  const double angle = offset * std::pow(100.0, -2.0 * m / d);
  CHECK(cos_o[m][offset - first_offset(L)].item<double>() == doctest::Approx(std::cos(angle)).epsilon(1e-15));
  CHECK(std::abs(cos_o[m][L + offset - first_offset(L)].item<double>() - std::cos(angle)) > 1e-3);
}
