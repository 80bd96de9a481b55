#include <cotdyn/plots/palette.hpp>

namespace cotdyn::plots {

const std::vector<std::string>& series_palette() {
  static const std::vector<std::string> colors = {
      "#0072B2",  // blue
      "#D55E00",  // vermillion
      "#009E73",  // bluish green
      "#CC79A7",  // reddish purple
      "#E69F00",  // orange
      "#56B4E9",  // sky blue
      "#000000",  // black
      "#F0E442",  // yellow (last: weak contrast on white)
  };
  return colors;
}

std::string palette_color(std::size_t index) {
  const auto& colors = series_palette();
  return colors[index % colors.size()];
}

const std::vector<std::pair<double, std::string>>& heatmap_palette() {
  // viridis sampled at 9 points (matplotlib's _viridis_data).
  static const std::vector<std::pair<double, std::string>> stops = {
      {0.000, "#440154"}, {0.125, "#472D7B"}, {0.250, "#3B528B"}, {0.375, "#2C728E"},
      {0.500, "#21918C"}, {0.625, "#28AE80"}, {0.750, "#5EC962"}, {0.875, "#ADDC30"},
      {1.000, "#FDE725"},
  };
  return stops;
}

}  // namespace cotdyn::plots
