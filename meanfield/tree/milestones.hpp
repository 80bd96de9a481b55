#pragma once
// Phase observables, d = infinity accuracy and phase times of the tree ODE
// (docs/models/tree.md §3.4, §5 and §6).
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include <Eigen/Core>

#include <cotdyn/meanfield/tree/integrate.hpp>
#include <cotdyn/meanfield/tree/ode.hpp>

namespace cotdyn::meanfield::tree {

// d = infinity accuracy from the canonical logits: margin m_q = z_{q,t_q} - max_{y != t_q} z_qy;
// credit 1 if m_q > 1e-12, 0 if m_q < -1e-12, else 1 / #{y : |z_qy - z_{q,t_q}| <= 1e-12}.
struct Accuracy {
  std::vector<double> margins;
  std::vector<double> credits;
  double per_step = 0.0;     // mean credit
  bool exact_match = false;  // every credit is 1
};
inline constexpr double tie_tolerance = 1e-12;
Accuracy accuracy(const CanonicalSample& sample, const Eigen::MatrixXd& logits);

// Retrieval masses per head: m_B = mean over B queries of the attention on keys with X = x_q,
// m_F = mean over F queries of the attention on keys with Y = x_q (NaN for the backward task).
struct RetrievalMasses {
  std::vector<double> backward, forward;
};
RetrievalMasses retrieval_masses(const CanonicalSample& sample, const CanonicalPass& pass);

// First n >= 1 with y[n-1] < level <= y[n], interpolated linearly; NaN if there is none.
double first_upward_crossing(const std::vector<double>& t, const std::vector<double>& y, double level);
// Level 0+: first n >= 1 with y[n-1] <= 0 < y[n], interpolated linearly to the zero; NaN if none.
double first_positive_crossing(const std::vector<double>& t, const std::vector<double>& y);

// The sampling grid of the phase times: t_n = n dt, n = 0 .. floor(t_run / dt).
struct PhaseGrid {
  double dt = 0.01;
  double t_run = 0.0;  // 0: the default run time of the task (100 backward, 250 forward)
};
double default_run_time(Task task);
std::vector<double> grid_times(const PhaseGrid& grid, Task task);

// docs/models/tree.md §5: NaN where a series does not cross; forward_head = -1 for the backward task.
struct PhaseTimes {
  double t_B = std::numeric_limits<double>::quiet_NaN();    // max_h m_B^h reaches 1/2
  double t_F = std::numeric_limits<double>::quiet_NaN();    // max_h m_F^h reaches 1/2 (forward)
  double t_S = std::numeric_limits<double>::quiet_NaN();    // o_X - o_Y of the forward head reaches 0
  double t_acc = std::numeric_limits<double>::quiet_NaN();  // min_q m_q becomes positive
  int forward_head = -1;  // argmax_h m_F^h at the last grid time (0-based)
};
// The rules on series sampled at times t, looked up by column name (head<h>_m_B, head<h>_m_F,
// head<h>_o_X, head<h>_o_Y, min_margin): the theory's trajectory, or one seed's measured series.
using SeriesLookup = std::function<const std::vector<double>&(const std::string&)>;
PhaseTimes phase_times(Task task, int H, const std::vector<double>& t, const SeriesLookup& column);
// From a trajectory sampled on a grid (its last time is T_run).
PhaseTimes phase_times(const Parameters& parameters, const Trajectory& on_grid);
// Integrates on the grid and applies the rules above.
PhaseTimes phase_times(const Parameters& parameters, const PhaseGrid& grid = {}, const Tolerances& tolerances = {});

}  // namespace cotdyn::meanfield::tree
