#pragma once
// Each command file registers itself here, so adding a command is adding one file to commands/
// (commands/torch/ for those that need LibTorch). `order` sets the order in `cotdyn --help`.
#include <CLI/CLI.hpp>

namespace cotdyn::cli {

using CommandAdder = void (*)(CLI::App&);

bool register_command(int order, CommandAdder add);
void add_registered_commands(CLI::App& app);

}  // namespace cotdyn::cli
