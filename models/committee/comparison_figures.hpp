#pragma once
// The committee machine's own comparison figures (docs/models/committee.md §8.7), built from what
// `compare` measured and the theory on the same times (models::ComparedSize). Torch-free.
#include <vector>

#include <cotdyn/models/model.hpp>
#include <cotdyn/plots/figure.hpp>

namespace cotdyn::models::committee {

// "learning_curve": eg(t) on log axes, the ODE (lines) and the seed mean (markers) at every size; the
// ODE's plateau of the largest size (eg_plateau from plateau_start to plateau_end) and its
// specialisation time t_spec are marked.
plots::Figure learning_curve_figure(const std::vector<ComparedSize>& sizes);

// The observation indices the overlap heatmaps show: those nearest (in log t) to the theory's t_star
// and t_spec, and the last one; a milestone that is not reached is left out, repeats are dropped.
std::vector<std::size_t> overlap_time_indices(const ComparedSize& size);

// "overlaps": one row per index of overlap_time_indices; R (K x M) and Q (K x K) as heatmaps, the
// theory beside the seed mean, with one colour range per matrix and time.
plots::Figure overlap_figure(const ComparedSize& size, int K, int M);

// "R_one_seed": R_in(t) of the seed measured[seed] (markers) with its own ODE `ode` (lines, the
// theory's columns on the same times).
plots::Figure one_seed_figure(const ComparedSize& size, std::size_t seed, const Trajectory& ode, int K, int M);

}  // namespace cotdyn::models::committee
