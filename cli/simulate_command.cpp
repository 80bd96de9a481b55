// `cotdyn simulate`: trains the chosen model's network (all seeds at once) and measures it on the
// observation grid (docs/models.md). Ctrl-C stops cleanly; `--resume DIR` continues from DIR's
// checkpoint with the system its config.toml describes.
#include <iostream>

#include <cotdyn/analysis/commands/simulate_command.hpp>
#include <cotdyn/cli/common.hpp>

namespace cotdyn::cli {

namespace {
void print_outcome(const commands::SimulateOutcome& outcome, const commands::CommandOptions& options) {
  const bool interrupted = outcome.result.status.interrupted;
  std::cout << (interrupted ? "interrupted; resume with: cotdyn simulate --resume " : "wrote ")
            << outcome.directory.string() << '\n';
  if (interrupted) throw CLI::RuntimeError(130);
  commands::report_warnings(outcome.warnings(), options, outcome.directory.string());
}

void add_simulate_command(CLI::App& app) {
  auto* command = app.add_subcommand("simulate", "train the model's network (many seeds at once) and measure it");
  auto options = add_common_options(*command, "results/simulate");
  auto resume = std::make_shared<std::string>();
  command->add_option("--resume", *resume, "continue the interrupted run in this directory");
  command->callback([options, resume] {
    before_libtorch("simulate");
    const auto run = command_options(*options);
    if (!resume->empty()) {
      print_outcome(commands::resume_simulate(*resume, run), run);
      return;
    }
    print_outcome(commands::run_simulate(load_config(*options), options->out, run), run);
  });
}

const bool registered = register_command(30, add_simulate_command);
}  // namespace

}  // namespace cotdyn::cli
