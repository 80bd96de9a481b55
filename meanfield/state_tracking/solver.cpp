#include <cotdyn/meanfield/state_tracking/solver.hpp>

#include <cmath>
#include <stdexcept>

#include <boost/math/tools/minima.hpp>
#include <boost/math/tools/roots.hpp>
#include <boost/numeric/odeint.hpp>
#include <boost/numeric/odeint/external/eigen/eigen.hpp>
#include <fmt/format.h>

namespace cotdyn::meanfield {

namespace odeint = boost::numeric::odeint;

namespace {

using DopriStepper = odeint::runge_kutta_dopri5<State, double, State, double, odeint::vector_space_algebra>;
using DenseStepper = odeint::result_of::make_dense_output<DopriStepper>::type;

// A solve of a non-stiff 3-dimensional system that needs more steps than this has stalled.
constexpr long max_steps = 5'000'000;

void check_progress(const DenseStepper& stepper, long steps) {
  const State& x = stepper.current_state();
  const double t = stepper.current_time();
  if (!x.allFinite())
    throw std::runtime_error(fmt::format(
        "theory: the ODE solution became non-finite at t = {:.6g} (M = {}, R = {}, Q = {}); "
        "lower the learning rates or loosen theory.rtol/theory.atol", t, x[0], x[1], x[2]));
  if (steps > max_steps || !(stepper.current_time_step() > 1e-14 * std::max(1.0, std::abs(t))))
    throw std::runtime_error(fmt::format(
        "theory: the ODE integration stalled at t = {:.6g} after {} steps, step size {:.3g} "
        "(M = {}, R = {}, Q = {})", t, steps, stepper.current_time_step(), x[0], x[1], x[2]));
}

// Root of g(t) inside the last step of the dense stepper, g(t0) < 0 <= g(t1).
double refine_root(const DenseStepper& stepper, const std::function<double(double, const State&)>& g,
                   double t0, double g0, double t1, double g1) {
  State x(3);
  auto f = [&](double t) {
    stepper.calc_state(t, x);
    return g(t, x);
  };
  boost::uintmax_t iterations = 100;
  auto tolerance = [](double a, double b) { return std::abs(b - a) <= 1e-13 * std::max(1.0, std::abs(a)); };
  const auto bracket = boost::math::tools::toms748_solve(f, t0, t1, g0, g1, tolerance, iterations);
  return 0.5 * (bracket.first + bracket.second);
}

// The maximum of Q inside the last step, by Brent's method on the dense output.
std::pair<double, double> peak_of_offtarget(const DenseStepper& stepper, double t0, double t1) {
  State x(3);
  auto negative_q = [&](double t) {
    stepper.calc_state(t, x);
    return -x[2];
  };
  const auto best = boost::math::tools::brent_find_minima(negative_q, t0, t1, 40);
  return {best.first, -best.second};
}

DenseStepper make_stepper(const Tolerances& tolerances) {
  return odeint::make_dense_output(tolerances.atol, tolerances.rtol, DopriStepper());
}

}  // namespace

Solution solve(const MeanFieldOde& ode, const std::vector<double>& times, const Tolerances& tolerances) {
  validate(tolerances);
  Solution solution;
  if (times.empty()) return solution;
  if (times.front() < 0) throw std::invalid_argument(fmt::format("observe.times starts at {} < 0", times.front()));

  const double lock_on = lock_on_retrieval(ode.parameters().L);
  auto lock_on_gap = [lock_on](double, const State& x) { return x[0] - lock_on; };

  DenseStepper stepper = make_stepper(tolerances);
  State x = to_state({});
  stepper.initialize(x, 0.0, 1e-3);
  double previous_gap = lock_on_gap(0.0, x);
  bool offtarget_rising = true;  // dQ/dt > 0 at t = 0 whenever n(L-1) > K L; otherwise Q has no interior peak
  std::size_t next = 0;
  while (times[next] == 0.0) {  // the initial state needs no step
    solution.times.push_back(0.0);
    solution.states.push_back({});
    if (++next == times.size()) return solution;
  }
  while (next < times.size()) {
    const double t_start = stepper.current_time();
    stepper.do_step(std::cref(ode));
    ++solution.steps;
    check_progress(stepper, solution.steps);
    const double t_end = stepper.current_time();
    const State& x_end = stepper.current_state();

    const double gap = lock_on_gap(t_end, x_end);
    if (std::isnan(solution.lock_on_time) && previous_gap < 0 && gap >= 0)
      solution.lock_on_time = refine_root(stepper, lock_on_gap, t_start, previous_gap, t_end, gap);
    previous_gap = gap;
    if (std::isnan(solution.offtarget_peak_time) && offtarget_rising) {
      // The slope of Q at the step's end from the dense output itself: no extra right-hand side.
      State before(3);
      const double h = 1e-4 * (t_end - t_start);
      stepper.calc_state(t_end - h, before);
      if (x_end[2] < before[2]) {
        offtarget_rising = false;
        if (t_start > 0) {
          const auto peak = peak_of_offtarget(stepper, t_start, t_end);
          solution.offtarget_peak_time = peak.first;
          solution.offtarget_peak = peak.second;
        }
      }
    }

    for (; next < times.size() && times[next] <= t_end; ++next) {
      stepper.calc_state(times[next], x);
      solution.times.push_back(times[next]);
      solution.states.push_back(to_order_parameters(x));
    }
  }
  // Milestones are searched only up to the last observation time.
  if (solution.lock_on_time > times.back()) solution.lock_on_time = std::numeric_limits<double>::quiet_NaN();
  if (solution.offtarget_peak_time > times.back()) {
    solution.offtarget_peak_time = solution.offtarget_peak = std::numeric_limits<double>::quiet_NaN();
  }
  return solution;
}

double first_upward_crossing(const MeanFieldOde& ode, double start_time, const OrderParameters& start_state,
                             double end_time, const std::function<double(const OrderParameters&)>& event,
                             const Tolerances& tolerances) {
  validate(tolerances);
  auto g = [&event](double, const State& x) { return event(to_order_parameters(x)); };
  DenseStepper stepper = make_stepper(tolerances);
  State x = to_state(start_state);
  double previous = g(start_time, x);
  if (previous >= 0) return previous == 0 ? start_time : std::numeric_limits<double>::quiet_NaN();
  stepper.initialize(x, start_time, std::min(1e-3, end_time - start_time));
  long steps = 0;
  while (stepper.current_time() < end_time) {
    const double t_start = stepper.current_time();
    stepper.do_step(std::cref(ode));
    check_progress(stepper, ++steps);
    const double value = g(stepper.current_time(), stepper.current_state());
    if (value >= 0) {
      const double root = refine_root(stepper, g, t_start, previous, stepper.current_time(), value);
      return root <= end_time ? root : std::numeric_limits<double>::quiet_NaN();
    }
    previous = value;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace cotdyn::meanfield
