#include <cotdyn/tests/models/linear/theory.hpp>

#include <boost/numeric/odeint.hpp>

namespace cotdyn::testing::linear {

void Ode::operator()(const std::vector<double>& x, std::vector<double>& dxdt, double /*t*/) const {
  const double R = x[0], Q = x[1];
  dxdt[0] = p.eta * (p.T - R);
  dxdt[1] = 2 * p.eta * (R - Q) + p.eta * p.eta * (Q - 2 * R + p.T + p.sigma * p.sigma);
}

std::vector<std::vector<double>> solve(const Parameters& p, const std::vector<double>& times) {
  namespace odeint = boost::numeric::odeint;
  std::vector<double> x = {p.R0, p.Q0};
  std::vector<std::vector<double>> rows;
  auto stepper = odeint::make_dense_output(1e-12, 1e-10, odeint::runge_kutta_dopri5<std::vector<double>>());
  auto observe = [&](const std::vector<double>& s, double t) {
    rows.push_back({t, s[0], s[1], 0.5 * (s[1] - 2 * s[0] + p.T)});
  };
  odeint::integrate_times(stepper, Ode{p}, x, times.begin(), times.end(), 0.01, observe);
  return rows;
}

}  // namespace cotdyn::testing::linear
