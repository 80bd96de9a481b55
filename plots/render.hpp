#pragma once
// Runs gnuplot on figure scripts written by save_figure() (or edited by hand), once per
// terminal, in the script's directory so relative data paths resolve. This is what
// `cotdyn plot DIR` does: re-render a finished run without recomputing anything.
#include <filesystem>
#include <string>
#include <vector>

namespace cotdyn::plots {

struct RenderOptions {
  std::string gnuplot = "gnuplot";                  // executable, looked up on PATH
  std::vector<std::string> terminals = {"png", "pdf"};  // values of the script's `term`
};

struct RenderResult {
  std::vector<std::filesystem::path> outputs;  // NAME.png, NAME.pdf next to the script
  std::string messages;                        // gnuplot's stderr (warnings), if any
};

// Renders NAME.gp to NAME.<term> for each terminal; each output replaces the old one
// atomically. Throws std::runtime_error naming the script and quoting gnuplot's stderr when
// gnuplot is missing, exits with an error, or writes no output.
RenderResult render_figure(const std::filesystem::path& script, const RenderOptions& options = {});

// Renders every *.gp under `dir` (recursively, in sorted order); returns the scripts rendered.
// Throws std::invalid_argument when `dir` is not a directory or holds no *.gp script.
std::vector<std::filesystem::path> render_directory(const std::filesystem::path& dir,
                                                    const RenderOptions& options = {});

}  // namespace cotdyn::plots
