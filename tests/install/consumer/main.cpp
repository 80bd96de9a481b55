// Solves the state-tracking model's mean-field ODE (docs/theory.md §4-6) with the installed
// cotdyn::meanfield and prints the lock-on time; exits 1 if it is not a positive number.
#include <cmath>
#include <cstdio>
#include <vector>

#include <cotdyn/meanfield/state_tracking/solver.hpp>

int main() {
  const cotdyn::meanfield::MeanFieldOde ode(cotdyn::meanfield::ModelParameters{});
  std::vector<double> times;
  for (int i = 0; i <= 100; ++i) times.push_back(i);
  const auto solution = cotdyn::meanfield::solve(ode, times);
  std::printf("lock-on time t_half = %.6f, M(100) = %.6f\n", solution.lock_on_time, solution.states.back().attention_retrieval);
  return std::isfinite(solution.lock_on_time) && solution.lock_on_time > 0 ? 0 : 1;
}
