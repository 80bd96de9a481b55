#pragma once
// Integration of the mean-field ODE with Boost.Odeint's dense-output Dormand-Prince stepper.
// Observations are interpolated from the dense output at the requested times; milestones (lock-on,
// maximum of Q) are located inside the step where they occur, not on the observation grid.
#include <functional>
#include <limits>
#include <vector>

#include <cotdyn/meanfield/state_tracking/meanfield_ode.hpp>

namespace cotdyn::meanfield {

struct Solution {
  std::vector<double> times;
  std::vector<OrderParameters> states;  // at `times`
  // Milestones (NaN when the event does not happen before the last time).
  double lock_on_time = std::numeric_limits<double>::quiet_NaN();  // first alpha(M) = 1/2
  double offtarget_peak_time = std::numeric_limits<double>::quiet_NaN();  // first maximum of Q
  double offtarget_peak = std::numeric_limits<double>::quiet_NaN();
  long steps = 0;  // accepted steps
};

// Integrates from t = 0 (M = R = Q = 0) through the sorted times (the first must be >= 0).
// Throws std::runtime_error with the time and state if the solution becomes non-finite or stalls.
Solution solve(const MeanFieldOde& ode, const std::vector<double>& times, const Tolerances& tolerances = {});

// The first time in (start_time, end_time] at which event(state) changes sign from negative to
// non-negative, integrating from (start_time, start_state); NaN if it does not happen.
double first_upward_crossing(const MeanFieldOde& ode, double start_time, const OrderParameters& start_state,
                             double end_time, const std::function<double(const OrderParameters&)>& event,
                             const Tolerances& tolerances = {});

}  // namespace cotdyn::meanfield
