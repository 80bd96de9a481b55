#include <cotdyn/analysis/sweep/point_runner.hpp>

#include <algorithm>
#include <stdexcept>

#include <oneapi/tbb/info.h>

#include <cotdyn/analysis/sweep/model_point.hpp>
#include <cotdyn/analysis/sweep/theory_point.hpp>
#include <cotdyn/core/libtorch_needed.hpp>

namespace cotdyn::sweep {

int jobs_in_flight(std::size_t jobs, int cores) {
  if (cores <= 0) cores = oneapi::tbb::info::default_concurrency();
  return static_cast<int>(std::min<std::size_t>(jobs, static_cast<std::size_t>(std::max(1, cores))));
}

#ifdef COTDYN_SWEEP_WITH_SIMULATION
std::unique_ptr<PointRunner> make_simulate_point_runner();  // simulate_point.cpp (LibTorch)
std::unique_ptr<PointRunner> make_compare_point_runner();
#endif

std::unique_ptr<PointRunner> make_point_runner(SweepKind kind, const models::Model& model, const core::Config& base,
                                               bool trajectories) {
  // The state-tracking model has runners of its own (its sweep milestones predate the contract);
  // every other model runs through the contract.
  if (model.name() != "state_tracking") return make_model_point_runner(kind, model, base);
  switch (kind) {
    case SweepKind::theory:
      return std::make_unique<TheoryPointRunner>(trajectories);
    case SweepKind::simulate:
#ifdef COTDYN_SWEEP_WITH_SIMULATION
      return make_simulate_point_runner();
#else
      throw core::LibTorchNeeded(
          "kind = \"simulate\" needs the simulator: this build has COTDYN_WITH_TORCH=OFF (rebuild with "
          "-DCOTDYN_WITH_TORCH=ON and LibTorch installed), or use kind = \"theory\"");
#endif
    case SweepKind::compare:
#ifdef COTDYN_SWEEP_WITH_SIMULATION
      return make_compare_point_runner();
#else
      throw core::LibTorchNeeded(
          "kind = \"compare\" needs the simulator: this build has COTDYN_WITH_TORCH=OFF (rebuild with "
          "-DCOTDYN_WITH_TORCH=ON and LibTorch installed), or use kind = \"theory\"");
#endif
  }
  throw std::invalid_argument("unknown sweep kind");
}

}  // namespace cotdyn::sweep
