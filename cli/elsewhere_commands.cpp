// cotdyn (without LibTorch): the commands whose code needs LibTorch to link (ablate runs the study's
// training jobs itself), listed in `cotdyn --help` and run by cotdyn-torch with every argument as given
// (cli/libtorch.hpp). The CLI tests hold both programs to the same list of commands.
#include <cotdyn/cli/common.hpp>

namespace cotdyn::cli {

namespace {
void add_elsewhere_commands(CLI::App& app) {
  auto* ablate = app.add_subcommand("ablate", "lift the solvable model's restrictions one switch (and pair) at a time, "
                                              "against the theory (runs in cotdyn-torch)");
  ablate->set_help_flag();  // `cotdyn ablate --help` is cotdyn-torch's help
  ablate->allow_extras();
  ablate->prefix_command();
  ablate->callback([] { before_libtorch("ablate"); });
}

const bool registered = register_command(45, add_elsewhere_commands);
}  // namespace

}  // namespace cotdyn::cli
