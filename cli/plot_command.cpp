// `cotdyn plot DIR`: re-renders every figure of a finished run from its data files and gnuplot
// scripts (for example after editing a script to restyle it), without recomputing anything.
#include <iostream>

#include <cotdyn/cli/common.hpp>
#include <cotdyn/plots/render.hpp>

namespace cotdyn::cli {


namespace {
void add_plot_command(CLI::App& app) {
  auto* command = app.add_subcommand("plot", "re-render the figures (.gp scripts) of a finished run");
  auto directory = std::make_shared<std::string>();
  command->add_option("DIR", *directory, "run directory holding the figures' .gp scripts")->required();
  command->callback([directory] {
    const auto scripts = plots::render_directory(*directory);
    for (const auto& script : scripts) std::cout << "rendered " << script.string() << " (png, pdf)\n";
  });
}

const bool registered = register_command(90, add_plot_command);
}  // namespace

}  // namespace cotdyn::cli
