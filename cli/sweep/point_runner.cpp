#include "sweep/point_runner.hpp"

#include <stdexcept>

#include "sweep/theory_point.hpp"

namespace cotdyn::sweep {

#ifdef COTDYN_SWEEP_WITH_SIMULATION
std::unique_ptr<PointRunner> make_simulate_point_runner();  // simulate_point.cpp (LibTorch)
#endif

std::unique_ptr<PointRunner> make_point_runner(SweepKind kind) {
  switch (kind) {
    case SweepKind::theory:
      return std::make_unique<TheoryPointRunner>();
    case SweepKind::simulate:
#ifdef COTDYN_SWEEP_WITH_SIMULATION
      return make_simulate_point_runner();
#else
      throw std::invalid_argument(
          "kind = \"simulate\" needs a simulate point runner (cli/sweep/simulate_point.cpp, built with "
          "COTDYN_WITH_TORCH=ON and the simulation library's in-memory training entry point); this build has "
          "only the theory kind");
#endif
    case SweepKind::compare:
      throw std::invalid_argument(
          "kind = \"compare\" is not available yet: its point runner (theory vs simulation discrepancies) is "
          "not written; use kind = \"theory\"");
  }
  throw std::invalid_argument("unknown sweep kind");
}

}  // namespace cotdyn::sweep
