#pragma once
// The training loop of every model (Torch-free header): online SGD of a SimulatedSystem, all seeds
// at once, observed on its Schedule (docs/models.md, "The simulated system").
//  * train(): in memory, returns every measurement (tests, notebooks, compare, sweeps);
//  * run_simulation(): into a run directory: rewrites DIR/simulation.csv atomically and checkpoints into
//    DIR/checkpoint/ at every observation (and on interruption), writes DIR/simulation_summary.csv;
//  * resume_simulation(): continues DIR from its checkpoint, with a system built from the same
//    config, to the result of an uninterrupted run (same thread count and build).
// A non-finite training loss or weight stops that seed only; a stop request ends the run cleanly.
// Meaningless-run findings (run_checks.hpp) are printed and kept in RunStatus::warnings.
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include <cotdyn/simulation/measurement.hpp>
#include <cotdyn/simulation/schedule.hpp>
#include <cotdyn/simulation/simulated_system.hpp>

namespace cotdyn::simulation {

struct RunOptions {
  const std::atomic<bool>* stop_requested = nullptr;  // polled once per step
  bool progress = true;                               // progress bar / lines on stderr
  std::int64_t stop_at_step = -1;  // acts as a stop request once this many steps are done (-1: never)
  bool strict = false;             // stop at the first meaningless-run warning (run_checks.hpp; --strict)
  // Called after every step with (steps done, final step), from the training thread; for progress
  // shown elsewhere than on stderr (the Python module's tqdm bar). Must be cheap.
  std::function<void(std::int64_t, std::int64_t)> on_progress;
};

TrainingResult train(SimulatedSystem& system, const Schedule& schedule, const RunOptions& options = {});

RunStatus run_simulation(SimulatedSystem& system, const Schedule& schedule, const std::string& run_directory,
                         const RunOptions& options = {});

RunStatus resume_simulation(SimulatedSystem& system, const Schedule& schedule, const std::string& run_directory,
                            const RunOptions& options = {});

}  // namespace cotdyn::simulation
