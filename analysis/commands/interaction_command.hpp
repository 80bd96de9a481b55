#pragma once
// `cotdyn interaction` as a library function: the order-r interaction signals predicted in closed
// form and (in a build with LibTorch, unless `measure` is false) measured by autograd; writes
// interaction.csv, slopes.csv, compression.csv, figures/ and manifest.json into the output directory.
#include <cstddef>
#include <filesystem>
#include <string>

#include <cotdyn/analysis/commands/command_options.hpp>
#include <cotdyn/core/config.hpp>

namespace cotdyn::commands {

struct InteractionOutcome {
  std::filesystem::path directory;
  std::size_t cells = 0;
  bool measured = false;
  int cells_outside_3_stderr = 0;  // measured cells farther than 3 standard errors from the exact value
};

InteractionOutcome run_interaction(const core::Config& config, const std::string& out, bool measure,
                                   const CommandOptions& options);

}  // namespace cotdyn::commands
