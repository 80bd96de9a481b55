#pragma once
// Public entry points of the simulator (Torch-free header): online SGD over all seeds at once, with
// observations at steps round(t * d) (SPEC section 3).
//  * train(): in memory, returns every measurement (tests, notebooks, the compare command);
//  * run_simulation(): into a run directory: streams DIR/simulation.csv, checkpoints into
//    DIR/checkpoint/ at every observation (and on interruption), writes DIR/simulation_summary.csv;
//  * resume_simulation(): continues DIR from its checkpoint to the result of an uninterrupted run
//    (same thread count and build).
// A non-finite training loss or weight stops that seed only; a stop request ends the run cleanly.
#include <atomic>
#include <string>

#include "measurement.hpp"
#include "settings.hpp"

namespace cotdyn::simulation {

struct RunOptions {
  const std::atomic<bool>* stop_requested = nullptr;  // polled once per step
  bool progress = true;                               // progress bar / lines on stderr
  std::int64_t stop_at_step = -1;  // acts as a stop request once this many steps are done (-1: never)
};

TrainingResult train(const SimulationSettings& settings, const RunOptions& options = {});

RunStatus run_simulation(const SimulationSettings& settings, const std::string& run_directory,
                         const RunOptions& options = {});

// Settings come from the checkpoint; `threads` may be overridden (> 0), which keeps results only
// if it equals the original thread count.
RunStatus resume_simulation(const std::string& run_directory, const RunOptions& options = {}, int threads = 0);

// The settings stored in DIR's checkpoint (e.g. to write a manifest before resuming).
SimulationSettings checkpoint_settings(const std::string& run_directory);

// The distinct observation steps round(t * d) of the settings, increasing.
std::vector<std::int64_t> observation_steps(const SimulationSettings& settings);

}  // namespace cotdyn::simulation
