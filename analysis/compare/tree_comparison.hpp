#pragma once
// The tree model's additions to `cotdyn compare` (docs/models/tree.md §11): the phase times of every
// seed against the ODE's and the kappa-ODE's, which head became the forward head in each seed, the
// accuracy on unseen trees, the discrepancy pooled as in §10.5 with its finite-size fit, and four
// figures (order parameters of every head, retrieval masses by stage and head, accuracy against the
// predicted step function, finite-size scaling). Torch-free.
#include <string>

#include <cotdyn/analysis/compare/comparison_data.hpp>
#include <cotdyn/analysis/compare/model_comparison.hpp>
#include <cotdyn/meanfield/tree/milestones.hpp>
#include <cotdyn/models/trajectory.hpp>

namespace cotdyn::compare {

// The rules of docs/models/tree.md §5 on one seed's measured series at its observation times: the
// retrieval masses head<h>_m_B and head<h>_m_F, the coefficient-space head<h>_o_X and head<h>_o_Y,
// and min_margin.
meanfield::tree::PhaseTimes seed_phase_times(const SeedSeries& seed, meanfield::tree::Task task, int heads);

// RMS over the run's times, the heads and a_BX, a_BY, o_X, o_Y (a_FX, a_FY too for the forward task)
// of (seed mean - theory), the pooling of docs/models/tree.md §10.5. `simulated_suffix` chooses the
// space ("" coefficient, "_logit"), `theory_suffix` the theory ("" the ODE, "_kappa" the kappa-ODE).
double pooled_rms(const SimulatedRun& run, const models::Trajectory& theory, meanfield::tree::Task task, int heads,
                  const std::string& simulated_suffix, const std::string& theory_suffix);

// Writes phase_times.csv, generalisation.csv, tree_discrepancy.csv and figures/tree_*; returns the
// report's sections and the manifest's results.
ComparisonResult compare_tree(const ComparisonContext& context);

}  // namespace cotdyn::compare
