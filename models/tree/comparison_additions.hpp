#pragma once
// The tree model's additions to `cotdyn compare` (docs/models/tree.md §11), built from what compare
// measured and the theory on the same times (models::ComparedSize): the phase times of every seed
// against the ODE's and the kappa-ODE's, which head became the forward head in each seed, the accuracy
// on unseen trees, the discrepancy pooled as in §10.5 with its finite-size fit, and four figures (order
// parameters of every head, retrieval masses by stage and head, accuracy against the predicted step
// function, finite-size scaling). Torch-free.
#include <string>
#include <vector>

#include <cotdyn/core/config.hpp>
#include <cotdyn/meanfield/tree/milestones.hpp>
#include <cotdyn/models/model.hpp>

namespace cotdyn::models::tree {

// The rules of docs/models/tree.md §5 on one seed's measured series at its observation times: the
// retrieval masses head<h>_m_B and head<h>_m_F, the coefficient-space head<h>_o_X and head<h>_o_Y,
// and min_margin.
meanfield::tree::PhaseTimes seed_phase_times(const Trajectory& seed, meanfield::tree::Task task, int heads);

// RMS over the size's times, the heads and a_BX, a_BY, o_X, o_Y (a_FX, a_FY too for the forward task)
// of (seed mean - theory), the pooling of docs/models/tree.md §10.5. `simulated_suffix` chooses the
// space ("" coefficient, "_logit"), `theory_suffix` the theory ("" the ODE, "_kappa" the kappa-ODE).
double pooled_rms(const ComparedSize& size, meanfield::tree::Task task, int heads, const std::string& simulated_suffix,
                  const std::string& theory_suffix);

// phase_times.csv, generalisation.csv, tree_discrepancy.csv, figures tree_order_parameters,
// tree_retrieval_masses, tree_accuracy and tree_finite_size, the report's sections and the manifest's
// results. `model` gives the theory on a dense grid for the figures (Model::theory_at_size).
ComparisonAdditions comparison_additions(const Model& model, const core::Config& config,
                                         const std::vector<ComparedSize>& sizes);

}  // namespace cotdyn::models::tree
