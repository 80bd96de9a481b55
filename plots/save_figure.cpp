#include <cotdyn/plots/save_figure.hpp>

#include <fmt/format.h>

#include <cotdyn/plots/atomic_write.hpp>
#include <cotdyn/plots/data_file.hpp>
#include <cotdyn/plots/gnuplot_script.hpp>

namespace cotdyn::plots {

std::string data_file_name(const Figure& figure, std::size_t panel, std::size_t series) {
  return fmt::format("{}_p{}_s{}.dat", figure.name, panel + 1, series + 1);
}

FigureFiles write_figure(const Figure& figure, const std::filesystem::path& dir) {
  validate(figure);
  std::filesystem::create_directories(dir);
  FigureFiles files;
  std::vector<std::vector<std::string>> names(figure.panels.size());
  for (std::size_t p = 0; p < figure.panels.size(); ++p) {
    const Panel& panel = figure.panels[p];
    for (std::size_t s = 0; s < panel.series.size(); ++s) {
      names[p].push_back(data_file_name(figure, p, s));
      files.data.push_back(dir / names[p].back());
      write_data_file(files.data.back(), series_table(panel.series[s], panel));
    }
  }
  files.script = dir / (figure.name + ".gp");
  write_file_atomically(files.script, gnuplot_script(figure, names));
  return files;
}

FigureFiles save_figure(const Figure& figure, const std::filesystem::path& dir, const RenderOptions& options) {
  FigureFiles files = write_figure(figure, dir);
  RenderResult rendered = render_figure(files.script, options);
  files.images = std::move(rendered.outputs);
  files.gnuplot_messages = std::move(rendered.messages);
  return files;
}

}  // namespace cotdyn::plots
