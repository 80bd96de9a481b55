// Built when OpenMPI is not found: `cotdyn sweep --mpi` explains what is missing.
#include <stdexcept>

#include <cotdyn/analysis/sweep/sweep_mpi.hpp>

namespace cotdyn::sweep {

bool mpi_available() { return false; }

std::optional<SweepSummary> run_sweep_mpi(const PreparedSweep&, const SweepOptions&, std::ostream&) {
  throw std::invalid_argument(
      "--mpi: this cotdyn was built without MPI (install OpenMPI, e.g. bash cmake/setup-debian.sh --mpi, and "
      "reconfigure with COTDYN_WITH_MPI=ON); use --shard I/N or a Slurm job array instead");
}

}  // namespace cotdyn::sweep
