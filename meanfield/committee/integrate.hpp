#pragma once
// Adaptive integration of the committee ODE (docs/models/committee.md §5): Boost.Odeint's
// Dormand-Prince 5(4) stepper with dense output, observed at requested times.
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include <cotdyn/meanfield/committee/parameters.hpp>

namespace cotdyn::meanfield::committee {

// Per-step error control |err_j| <= atol + rtol |x_j|. The defaults reproduce the reference
// values of docs/models/committee.md §5 to better than 1e-8.
struct Tolerances {
  double rtol = 1e-10;
  double atol = 1e-12;
};
void validate(const Tolerances& tolerances);  // throws std::invalid_argument naming the field

// Observed trajectory: one row per time, named columns (0-based unit indices):
//   "eg"   generalisation error (§3),
//   "Q_i_k"   Q(i, k) for i <= k,      "R_i_n"   R(i, n),      "v_i"   v(i).
// After "eg" the columns follow the packed order of parameters.hpp.
struct Trajectory {
  int K = 0, M = 0;
  Eigen::MatrixXd T;                         // constant teacher overlaps
  std::vector<double> times;
  std::vector<std::string> names;            // column names, as column_names(K, M)
  std::vector<std::vector<double>> columns;  // columns[c][row]
  std::size_t steps = 0;                     // accepted Dormand-Prince steps

  const std::vector<double>& column(const std::string& name) const;  // throws std::out_of_range
  State state(std::size_t row) const;
};

std::vector<std::string> column_names(int K, int M);

// The solution left the range a stable learning rate keeps it in (docs/models/committee.md §5.1):
// at an observation time, a component is non-finite, a student field variance Q_ii exceeds
// divergence_factor x max(1, max_i Q_ii(0), max_n T_nn), or a second-layer weight has v_i^2 above
// divergence_factor x max(1, max_i v_i(0)^2, max_n v*_n^2). Names the time, the quantity (a column
// name), its value and the bound.
inline constexpr double divergence_factor = 100.0;
class Divergence : public std::runtime_error {
 public:
  Divergence(double t, std::string quantity, double value, double bound);
  double t;
  std::string quantity;
  double value;
  double bound;  // the bound it exceeded (NaN for a non-finite value)
};

// Integrates from (t = 0, initial) and observes at `times` (sorted, >= 0; t = 0 may be omitted).
// Throws std::invalid_argument for bad inputs, Divergence when the solution leaves the stable range
// (checked at every observation), std::runtime_error if the step size collapses.
Trajectory integrate(const Parameters& parameters, const State& initial, const std::vector<double>& times,
                     const Tolerances& tolerances = {});

// per_decade log-spaced times from first to last (both included, 0 < first < last).
std::vector<double> log_spaced_times(double first, double last, int per_decade);

}  // namespace cotdyn::meanfield::committee
