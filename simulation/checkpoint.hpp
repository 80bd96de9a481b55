#pragma once
// Checkpoints of a run in DIR/checkpoint/: loop position, failures, measurements so far, and the
// system's weights and generator states. What the system is comes from the run's DIR/config.toml,
// written by the command that started it: a checkpoint holds no settings of its own. Written to
// DIR/checkpoint.new/ and swapped in, so a
// crash leaves either the previous or the new checkpoint. Torch-free (the system saves its weights).
#include <cstdint>
#include <string>
#include <vector>

#include <cotdyn/simulation/measurement.hpp>
#include <cotdyn/simulation/run_checks.hpp>
#include <cotdyn/simulation/simulated_system.hpp>

namespace cotdyn::simulation {

// Where the training loop stands.
struct LoopState {
  std::int64_t step = 0;                 // SGD steps done
  std::size_t next_observation = 0;      // index into the observation steps
  std::vector<bool> failed;              // per seed index
  RunStatus status;
  RunChecks checks;                      // the meaningless-run checks' running state
  std::vector<Measurement> measurements; // everything measured so far
};

// Each measurement's size is stored under `size_column` (the model's name for it: "d", "N"), and read
// back under the same name.
void write_checkpoint(const std::string& run_directory, const std::vector<std::string>& columns, const LoopState& state,
                      const SimulatedSystem& system, const std::string& size_column = "d");

bool has_checkpoint(const std::string& run_directory);
// Restores the system's weights and generators and returns the loop state.
LoopState read_checkpoint(const std::string& run_directory, SimulatedSystem& system, const std::string& size_column = "d");

}  // namespace cotdyn::simulation
