#include <cotdyn/simulation/state_tracking/rope.hpp>

#include <cmath>

namespace cotdyn::simulation {

namespace {
const double pi = 3.14159265358979323846;

// p theta_m of the period schedule, reduced modulo L before the multiplication by 2 pi / L.
double period_angle(long long position, int m, int L) {
  const long long turns = ((position * (1 + m % (L - 1))) % L + L) % L;
  return 2 * pi * static_cast<double>(turns) / L;
}
}  // namespace

std::pair<at::Tensor, at::Tensor> rope_tables(int L, int d, int first_position, const at::TensorOptions& options) {
  at::Tensor angle = at::empty({L, d / 2}, at::TensorOptions().dtype(at::kDouble));
  auto a = angle.accessor<double, 2>();
  for (int p = 0; p < L; ++p)
    for (int m = 0; m < d / 2; ++m) a[p][m] = period_angle(first_position + p, m, L);
  return {angle.cos().to(options), angle.sin().to(options)};
}

at::Tensor rotate(const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin) {
  const auto E = x.size(0), d = x.size(1);
  at::Tensor planes = x.view({E, 1, d / 2, 2});
  at::Tensor x0 = planes.select(3, 0), x1 = planes.select(3, 1);  // [E, 1, d/2]
  at::Tensor r0 = x0 * cos - x1 * sin;
  at::Tensor r1 = x0 * sin + x1 * cos;
  return at::stack({r0, r1}, 3).view({E, cos.size(0), d});
}

int first_offset(int L) { return 1 - L; }
int offset_count(int L) { return 3 * L - 1; }

std::pair<at::Tensor, at::Tensor> offset_tables(int L, int d, const AblationSettings& ablation,
                                                const at::TensorOptions& options) {
  at::Tensor angle = at::empty({d / 2, offset_count(L)}, at::TensorOptions().dtype(at::kDouble));
  auto a = angle.accessor<double, 2>();
  for (int m = 0; m < d / 2; ++m)
    for (int o = 0; o < offset_count(L); ++o) {
      const long long offset = first_offset(L) + o;
      a[m][o] = ablation.rope == RopeSchedule::geometric
                    ? static_cast<double>(offset) * std::pow(ablation.rope_base, -2.0 * m / d)
                    : period_angle(offset, m, L);
    }
  return {angle.cos().to(options), angle.sin().to(options)};
}

at::Tensor score_table(const at::Tensor& q, const at::Tensor& k, const at::Tensor& cos, const at::Tensor& sin) {
  const auto E = q.size(0), Tq = q.size(1), Tk = k.size(1), d = q.size(2);
  at::Tensor qp = q.reshape({E, Tq, 1, d / 2, 2}), kp = k.reshape({E, 1, Tk, d / 2, 2});
  at::Tensor q0 = qp.select(4, 0), q1 = qp.select(4, 1), k0 = kp.select(4, 0), k1 = kp.select(4, 1);
  return at::matmul(q0 * k0 + q1 * k1, cos) + at::matmul(q0 * k1 - q1 * k0, sin);
}

}  // namespace cotdyn::simulation
