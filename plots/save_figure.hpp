#pragma once
// Puts a figure on disk: one data file per series, the gnuplot script, and (unless asked
// not to) the rendered PNG and PDF, all in one relocatable directory:
//   DIR/NAME.gp  DIR/NAME_p<panel>_s<series>.dat ...  DIR/NAME.png  DIR/NAME.pdf
#include <filesystem>
#include <vector>

#include <cotdyn/plots/figure.hpp>
#include <cotdyn/plots/render.hpp>

namespace cotdyn::plots {

struct FigureFiles {
  std::filesystem::path script;                  // DIR/NAME.gp
  std::vector<std::filesystem::path> data;       // one per series, panel by panel
  std::vector<std::filesystem::path> images;     // DIR/NAME.png, DIR/NAME.pdf (when rendered)
  std::string gnuplot_messages;                  // gnuplot's warnings, if any
};

// Name of the data file of series `series` (0-based) of panel `panel` (0-based): NAME_p1_s1.dat.
std::string data_file_name(const Figure& figure, std::size_t panel, std::size_t series);

// Validates the figure (std::invalid_argument on bad input), creates `dir` if needed, and
// writes the data files and the script atomically. Does not run gnuplot.
FigureFiles write_figure(const Figure& figure, const std::filesystem::path& dir);

// write_figure() then render_figure(): the usual call.
FigureFiles save_figure(const Figure& figure, const std::filesystem::path& dir,
                        const RenderOptions& options = {});

}  // namespace cotdyn::plots
