#pragma once
// Training the transformer from a notebook: the config becomes SimulationSettings exactly as in
// `cotdyn simulate` / `cotdyn compare` (models/state_tracking/resolve_simulation.cpp), and each d is
// trained in memory by simulation::train(), several d at once on the machine's cores (oneTBB, at most
// sweep::jobs_in_flight() jobs at once; one LibTorch thread per run, the coefficient storage's fastest
// setting). The measurements come back as the
// compare library's plain data, ready for compare::run_comparison().
#include <vector>

#include <cotdyn/analysis/compare/comparison_data.hpp>
#include <cotdyn/core/config.hpp>
#include <cotdyn/notebooks_cpp/notebook.hpp>

namespace cotdyn::notebook {

// Trains the config's model at every d of `dims` (config's model.d is overridden) and returns one
// SimulatedRun per d, in the order of `dims`, with train.seeds seeds each (seed i = train.seed + i).
// The work is cut into jobs of at most `seeds_per_job` seeds (0: all seeds of a d in one job; a
// seed's data and initialisation do not depend on the other seeds of its batch, so the cut does
// not change any number) and the jobs run longest first on all cores. Seeds stopped by a non-finite
// value are dropped (as `cotdyn compare` does) and logged. Throws if a d keeps no seed.
std::vector<compare::SimulatedRun> simulate_dims(Context& context, const std::vector<int>& dims, int seeds_per_job = 0);

}  // namespace cotdyn::notebook
