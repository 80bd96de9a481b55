#include <cotdyn/meanfield/state_tracking/frozen_attention_escape.hpp>

#include <cmath>
#include <limits>

#include <boost/math/tools/roots.hpp>
#include <boost/numeric/odeint.hpp>
#include <boost/numeric/odeint/external/eigen/eigen.hpp>

#include <cotdyn/meanfield/state_tracking/meanfield_ode.hpp>

namespace cotdyn::meanfield {

namespace odeint = boost::numeric::odeint;

FrozenAttentionEscape frozen_attention_escape(const ModelParameters& parameters, const Tolerances& tolerances) {
  const MeanFieldOde ode(parameters);
  // State (M, R, Q, I) with I = int_0^t kappa: the ODE's logic equations with dM/dt = 0, so that
  // alpha stays 1/L and the attention force is accumulated, not felt (docs/theory.md §6.1).
  auto frozen = [&](const State& x, State& dxdt, double t) {
    const State logic = x.head(3);
    State rates(3);
    ode(logic, rates, t);
    dxdt.resize(4);
    dxdt << 0.0, rates[1], rates[2], ode.attention_force(logic);
  };
  const double threshold =
      std::asinh(lock_on_retrieval(parameters.L) / parameters.sigma2) / (2 * parameters.eta_A);
  using Stepper = odeint::runge_kutta_dopri5<State, double, State, double, odeint::vector_space_algebra>;
  auto stepper = odeint::make_dense_output(tolerances.atol, tolerances.rtol, Stepper());
  stepper.initialize(State::Zero(4), 0.0, 0.1);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  FrozenAttentionEscape result{nan, nan, nan, nan};
  while (stepper.current_time() < 1e7) {
    stepper.do_step(frozen);
    if (!stepper.current_state().allFinite()) return result;
    if (stepper.current_state()[3] < threshold) continue;
    State x(4);
    auto excess = [&](double t) {
      stepper.calc_state(t, x);
      return x[3] - threshold;
    };
    boost::uintmax_t iterations = 100;
    auto close = [](double a, double b) { return std::abs(b - a) <= 1e-13 * std::max(1.0, std::abs(a)); };
    const auto bracket = boost::math::tools::toms748_solve(excess, stepper.previous_time(), stepper.current_time(),
                                                           close, iterations);
    result.lock_on = 0.5 * (bracket.first + bracket.second);
    stepper.calc_state(result.lock_on, x);
    result.force = ode.attention_force(x.head(3));
    result.discrimination = derive(parameters, to_order_parameters(x.head(3))).discrimination;
    break;
  }
  if (std::isnan(result.lock_on)) return result;
  // kappa at half the time, from a second solve (the dense stepper has moved on).
  State x = State::Zero(4);
  odeint::integrate_adaptive(odeint::make_controlled<Stepper>(tolerances.atol, tolerances.rtol), frozen, x, 0.0,
                             0.5 * result.lock_on, 0.1);
  result.force_growth = result.force / ode.attention_force(x.head(3));
  return result;
}

}  // namespace cotdyn::meanfield
