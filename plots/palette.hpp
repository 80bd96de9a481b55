#pragma once
// Default colours of cotdyn figures. Both palettes are colour-blind-safe:
// Okabe & Ito (2008) for series, viridis for heatmaps.
#include <string>
#include <vector>

namespace cotdyn::plots {

// The series palette, in the order series without an explicit colour receive it
// (Okabe-Ito, reordered so that the low-contrast yellow comes last). "#rrggbb" strings.
const std::vector<std::string>& series_palette();

// Colour of the i-th default series (cycles through series_palette()); use it to give a
// band the same colour as its line.
std::string palette_color(std::size_t index);

// Stops of the viridis colour map as (position in [0,1], "#rrggbb"), for heatmaps.
const std::vector<std::pair<double, std::string>>& heatmap_palette();

}  // namespace cotdyn::plots
