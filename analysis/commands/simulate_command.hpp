#pragma once
// `cotdyn simulate` as a library function: the config's model, checked (memory included), its
// simulated system trained on the schedule (docs/models.md, "The simulated system"). With an output
// directory the run rewrites DIR/simulation.csv at each observation, checkpoints and writes the
// manifest (resumable); without one it trains in memory. Needs a build with LibTorch (otherwise std::invalid_argument).
#include <filesystem>
#include <string>
#include <vector>

#include <cotdyn/analysis/commands/command_options.hpp>
#include <cotdyn/core/config.hpp>
#include <cotdyn/simulation/measurement.hpp>

namespace cotdyn::commands {

struct SimulateOutcome {
  std::filesystem::path directory;  // empty: trained in memory
  std::string size_column;          // the model's (models::Model::size_column())
  // In memory: every measurement; with a directory they are in DIR/simulation.csv instead.
  simulation::TrainingResult result;
  std::vector<std::string> warnings() const;
};

// `out` empty: trains in memory. Prints the model's one-line summary through options.log first.
SimulateOutcome run_simulate(const core::Config& config, const std::string& out, const CommandOptions& options);

// Continues the interrupted run in `directory` with the config saved there (`cotdyn simulate --resume`).
SimulateOutcome resume_simulate(const std::string& directory, const CommandOptions& options);

}  // namespace cotdyn::commands
