#pragma once
// `cotdyn sweep --mpi`: the chunks are dealt round-robin over the MPI ranks; rank 0 prepares the
// directory and writes its own chunks as they finish, the other ranks send theirs to rank 0 at the end
// (MPI_Gatherv), which writes them, points.csv and the manifest. Built only with OpenMPI
// (COTDYN_WITH_MPI); without it the functions below say so.
#include <optional>
#include <ostream>

#include <cotdyn/analysis/sweep/run_sweep.hpp>

namespace cotdyn::sweep {

bool mpi_available();

// Initialises and finalises MPI. Returns the summary on rank 0, nothing on the other ranks.
std::optional<SweepSummary> run_sweep_mpi(const PreparedSweep& sweep, const SweepOptions& options, std::ostream& log);

}  // namespace cotdyn::sweep
