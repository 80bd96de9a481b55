#pragma once
// The gnuplot script of a figure. It is the one place a user edits to restyle a figure:
// page size, fonts and colours are variables at its top, each panel is a readable block.
// It reads data files by relative path (run gnuplot in the figure's directory) and renders
// to one terminal per run, chosen by the variable `term` ("png" or "pdf"):
//     gnuplot -e "term='pdf'" NAME.gp     ->  NAME.pdf   (`outfile` overrides the output name)
#include <string>
#include <string_view>
#include <vector>

#include <cotdyn/plots/figure.hpp>

namespace cotdyn::plots {

// data_files[p][s]: the file name (relative to the script) holding series s of panel p,
// laid out as series_table() describes. The figure must be valid (see validate()).
std::string gnuplot_script(const Figure& figure, const std::vector<std::vector<std::string>>& data_files);

// `text` as a double-quoted gnuplot string literal (quotes and backslashes escaped,
// newlines as \n). Enhanced-text markup (_ ^ { } @ & ~) passes through unchanged.
std::string gnuplot_string(std::string_view text);

}  // namespace cotdyn::plots
