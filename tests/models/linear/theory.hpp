#pragma once
// Online linear teacher-student regression (docs/models.md, "The smallest model"): y = w*.x/sqrt(N)
// + sigma zeta, prediction w.x/sqrt(N), SGD step (eta/sqrt(N)) (y - w.x/sqrt(N)) x. With
// R = w.w*/N, Q = w.w/N, T = w*.w*/N and t = steps/N, as N -> infinity:
//   dR/dt = eta (T - R),   dQ/dt = 2 eta (R - Q) + eta^2 (Q - 2R + T + sigma^2),
// and the generalisation error is eps_g = (Q - 2R + T) / 2.
#include <vector>

namespace cotdyn::testing::linear {

struct Parameters {
  double eta = 0.5;
  double sigma = 0;
  double T = 1;   // teacher norm w*.w*/N
  double R0 = 0;  // initial overlaps
  double Q0 = 0;
};

// The closed ODE's right-hand side for x = (R, Q), an Odeint system.
struct Ode {
  Parameters p;
  void operator()(const std::vector<double>& x, std::vector<double>& dxdt, double t) const;
};

// Rows (t, R, Q, eps_g) at `times` (Dormand-Prince, rtol 1e-10).
std::vector<std::vector<double>> solve(const Parameters& p, const std::vector<double>& times);

}  // namespace cotdyn::testing::linear
