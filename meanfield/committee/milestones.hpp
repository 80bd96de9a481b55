#pragma once
// Milestones of a learning curve (docs/models/committee.md §6): specialisation time, plateau
// (t*, eps_plateau, start, end) and final eps_g, evaluated on an observation grid.
#include <optional>
#include <vector>

#include <cotdyn/meanfield/committee/integrate.hpp>
#include <cotdyn/meanfield/committee/parameters.hpp>

namespace cotdyn::meanfield::committee {

// Largest |phi| = |d ln eps_g / d ln t| on the plateau.
inline constexpr double plateau_slope = 0.1;
// Specialised: r_in = R_in / sqrt(Q_ii T_nn) > specialised_overlap for the assigned pair and
// |r_im| < unspecialised_overlap for its other teacher units m.
inline constexpr double specialised_overlap = 0.9;
inline constexpr double unspecialised_overlap = 0.5;

struct Milestones {
  std::optional<double> t_spec;         // first grid time that is_specialised; none if never
  std::optional<double> t_star;         // argmin |phi| over grid times in [1, t_spec or last time]
  std::optional<double> eps_plateau;    // eps_g(t_star)
  std::optional<double> plateau_start;  // outermost grid times of the run of |phi| < 0.1 around
  std::optional<double> plateau_end;    // t_star; none if |phi(t_star)| >= 0.1 (no plateau)
  double final_eps_g = 0;               // eps_g at the last grid time
};

// True when an injective assignment pi of teacher to student units has r_{pi(n) n} > 0.9 and
// |r_{pi(n) m}| < 0.5 for all m != n. A student unit qualifies for at most one teacher unit
// (r > 0.9 excludes |r| < 0.5), so it holds iff every teacher unit has a qualifying student unit.
bool is_specialised(const State& state);

// phi_j = d ln eps_g / d ln t at each grid time by the 3-point non-uniform difference in ln t
// (one-sided at the ends); NaN where t <= 0 or eps_g <= 0 at the point or a neighbour used.
std::vector<double> log_slope(const std::vector<double>& times, const std::vector<double>& eps_g);

// From a grid (strictly increasing times) with eps_g and the specialisation flag at each time.
Milestones find_milestones(const std::vector<double>& times, const std::vector<double>& eps_g,
                           const std::vector<bool>& specialised);
Milestones find_milestones(const Trajectory& trajectory);

// The ODE's milestones: integrates on t = 0 and per_decade log-spaced times from 1e-2 to t_max.
Milestones theory_milestones(const Parameters& parameters, const State& initial, double t_max,
                             const Tolerances& tolerances = {}, int per_decade = 1000);

}  // namespace cotdyn::meanfield::committee
