// cotdyn: the command line. Thin: each command parses its options and calls the libraries.
#include <csignal>
#include <iostream>

#include <fmt/format.h>

#include <cotdyn/build_info.hpp>
#include <cotdyn/cli/common.hpp>
#include <cotdyn/cli/registry.hpp>
#include <cotdyn/core/interrupt.hpp>
#include <cotdyn/core/libtorch_needed.hpp>

int main(int argc, char** argv) {
  cotdyn::cli::remember_arguments(argv);  // for the commands that use LibTorch (libtorch.hpp)
  CLI::App app{"cotdyn: learning dynamics of chain-of-thought state tracking, in theory and in simulation"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "cotdyn " COTDYN_VERSION " (" COTDYN_GIT_COMMIT ")");
  cotdyn::cli::add_registered_commands(app);
  cotdyn::core::install_interrupt_handler();
  // Under a file-size limit (ulimit -f) a write beyond it fails (EFBIG) and is reported like a full
  // disk, instead of the signal killing the process mid-write.
  std::signal(SIGXFSZ, SIG_IGN);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    // Bad input on the command line is bad input like any other: one line, exit status 2.
    std::string message = e.what();
    if (app.get_subcommands().empty() && argc > 1 && argv[1][0] != '-') {
      std::string commands;
      for (const CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; }))
        commands += (commands.empty() ? "" : ", ") + command->get_name();
      message = fmt::format("unknown command \"{}\": the commands are {}", argv[1], commands);
    }
    std::cerr << "cotdyn: error: " << message << " (see --help)\n";
    return 2;
  } catch (const cotdyn::core::LibTorchNeeded& e) {
    // Theory-only code met a setting that needs LibTorch, before writing anything: continue there.
    try {
      cotdyn::cli::continue_with_libtorch(e.what());
    } catch (const std::exception& handed_over) {
      std::cerr << "cotdyn: error: " << handed_over.what() << '\n';
      return 2;
    }
  } catch (const cotdyn::commands::WarningAsError& e) {
    std::cerr << "cotdyn: error (--strict): " << e.what() << '\n';
    return 3;
  } catch (const std::invalid_argument& e) {
    std::cerr << "cotdyn: error: " << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "cotdyn: failed: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
