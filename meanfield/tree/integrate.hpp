#pragma once
// Adaptive integration of the tree ODE (Boost.Odeint's Dormand-Prince 5(4) with dense output): the
// order parameters and the d = infinity observables at the requested times (docs/models/tree.md §7).
#include <cstddef>
#include <string>
#include <vector>

#include <cotdyn/meanfield/tree/parameters.hpp>

namespace cotdyn::meanfield::tree {

// Named columns, one value per time (docs/models/tree.md §7 lists them):
//   h<h>_<name>  the 12 order parameters of head h (0-based), e.g. h0_a_BX, h1_o_X;
//   h<h>_m_B     the backward retrieval mass of head h; h<h>_m_F the forward one (forward task only);
//   loss         the canonical (= population) cross-entropy L;
//   accuracy     the d = infinity per-step accuracy (mean credit); exact_match 1 or 0;
//   margin_q<q>  the margin m_q of query q; min_margin = min_q m_q.
struct Trajectory {
  std::vector<double> times;
  std::vector<std::string> names;
  std::vector<std::vector<double>> columns;  // columns[c][n]: column names[c] at times[n]
  int dimension = 0;                         // 12 H: the leading columns are the ODE state
  long rhs_evaluations = 0;                  // right-hand sides evaluated by the stepper

  // Throws std::out_of_range naming the column if there is none of that name.
  const std::vector<double>& column(const std::string& name) const;
  // The ODE state (12 H entries, the first columns) at times[n].
  std::vector<double> state(std::size_t n) const;
};

std::vector<std::string> column_names(const Parameters& parameters);

// Integrates from t = 0 (theta(0) of the ODE) and observes at `times`, which must be finite,
// non-negative and non-decreasing. Throws std::invalid_argument for bad times or parameters and
// std::runtime_error (with the time) if the solution becomes non-finite or the stepper stalls.
Trajectory integrate(const Parameters& parameters, const std::vector<double>& times, const Tolerances& tolerances = {});

}  // namespace cotdyn::meanfield::tree
