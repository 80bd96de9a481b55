#include <cotdyn/interaction/interaction_output.hpp>

#include <cmath>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include <cotdyn/plots/plots.hpp>

namespace cotdyn::interaction {

interaction::InteractionSettings resolve_interaction_settings(const core::Config& config) {
  interaction::InteractionSettings s;
  s.activations = config.get_string_list("interaction.activations");
  s.b = config.get_number_list("interaction.b");
  if (config.is_string("interaction.v")) {
    const std::string v = config.get_string("interaction.v");
    if (v != "sqrt_T" && v != "sqrt(T)")
      throw std::invalid_argument(fmt::format(
          "interaction.v = \"{}\": must be a positive number or \"sqrt_T\" (v = sqrt(T))", v));
    s.v.sqrt_T = true;
  } else {
    s.v.value = config.get_number("interaction.v");
  }
  s.tokens = interaction::parse_token_law(config.get_string("interaction.tokens"));
  s.r.clear();
  for (auto r : config.get_integer_list("interaction.r")) s.r.push_back(static_cast<int>(r));
  s.T.clear();
  for (auto T : config.get_integer_list("interaction.T")) s.T.push_back(static_cast<int>(T));
  s.samples = config.get_integer("interaction.samples");
  const auto seed = config.get_integer("interaction.seed");
  if (seed < 0) throw std::invalid_argument(fmt::format("interaction.seed = {}: must be >= 0", seed));
  s.seed = static_cast<std::uint64_t>(seed);
  interaction::validate(s);
  return s;
}

core::CsvTable interaction_table(const std::vector<interaction::InteractionRow>& rows) {
  core::CsvTable table({"activation", "b", "v", "tokens", "r", "T", "delta_exact", "delta_taylor", "delta_gauss",
                  "delta_measured", "stderr", "ratio"});
  for (const auto& row : rows)
    table.add_row(std::vector<std::string>{row.activation, core::csv_number(row.b), core::csv_number(row.v), row.tokens,
                                           std::to_string(row.r), std::to_string(row.T), core::csv_number(row.delta_exact),
                                           core::csv_number(row.delta_taylor), core::csv_number(row.delta_gauss),
                                           core::csv_number(row.delta_measured), core::csv_number(row.std_error),
                                           core::csv_number(row.ratio)});
  return table;
}

core::CsvTable slopes_table(const std::vector<interaction::SlopeRow>& slopes) {
  core::CsvTable table({"activation", "b", "v", "tokens", "r", "n_exact", "slope_exact", "slope_exact_stderr",
                  "slope_local_exact", "n_measured", "slope_measured", "slope_measured_stderr"});
  for (const auto& s : slopes)
    table.add_row(std::vector<std::string>{s.activation, core::csv_number(s.b), s.v, s.tokens, std::to_string(s.r),
                                           std::to_string(s.n_exact), core::csv_number(s.slope_exact),
                                           core::csv_number(s.slope_exact_stderr), core::csv_number(s.slope_local_exact),
                                           std::to_string(s.n_measured), core::csv_number(s.slope_measured),
                                           core::csv_number(s.slope_measured_stderr)});
  return table;
}

core::CsvTable compression_table(const std::vector<interaction::CompressionRow>& rows) {
  core::CsvTable table({"levels_compressed", "order", "delta_exact", "delta_taylor", "g_in", "sample_complexity",
                  "sample_complexity_scaling", "precision_digits"});
  for (const auto& r : rows)
    table.add_row(std::vector<std::string>{std::to_string(r.levels_compressed), std::to_string(r.order),
                                           core::csv_number(r.delta_exact), core::csv_number(r.delta_taylor), core::csv_number(r.g_in),
                                           core::csv_number(r.sample_complexity), core::csv_number(r.sample_complexity_scaling),
                                           std::to_string(r.precision_digits)});
  return table;
}

void write_interaction_figures(const interaction::InteractionSettings& settings,
                               const std::vector<interaction::InteractionRow>& rows,
                               const std::vector<interaction::SlopeRow>& slopes, const std::filesystem::path& directory,
                               bool render) {
  auto save = [&](const plots::Figure& figure) {
    if (render)
      plots::save_figure(figure, directory);
    else
      plots::write_figure(figure, directory);
  };
  for (const auto& activation : settings.activations) {
    plots::Figure figure;
    figure.name = "delta_" + activation;
    figure.title = fmt::format("Order-r signal |{{/Symbol D}}_r| against T: {} ({} tokens, v = {})", activation,
                               interaction::token_law_name(settings.tokens), settings.v.label());
    figure.columns = std::min<std::size_t>(settings.b.size(), 2);
    figure.panel_width_in = 8.0;  // room for the key outside the axes
    for (double b : settings.b) {
      plots::Panel& panel = figure.add(plots::Panel{});
      panel.title = fmt::format("b = {}", b);
      panel.x_label = "sequence length T";
      panel.y_label = "|{/Symbol D}_r|";
      panel.log_x = panel.log_y = true;
      panel.y_format = "10^{%T}";  // signals span many decades: powers of ten, not long decimals
      panel.x_tics.assign(settings.T.begin(), settings.T.end());
      panel.key = plots::KeyPosition::outside_right;
      for (std::size_t k = 0; k < settings.r.size(); ++k) {
        const int r = settings.r[k];
        std::vector<double> t, exact, tm, measured, low, high;
        for (const auto& row : rows) {
          if (row.activation != activation || row.b != b || row.r != r || row.t_equals_r) continue;
          // Symmetry zeros (|Delta| < 1e-14, rounding noise) have no place on a log axis.
          if (std::abs(row.delta_exact) >= interaction::ratio_floor) {
            t.push_back(row.T);
            exact.push_back(std::abs(row.delta_exact));
          }
          if (std::isfinite(row.delta_measured) && std::abs(row.delta_measured) > 2 * row.std_error &&
              std::abs(row.delta_measured) >= interaction::ratio_floor) {
            tm.push_back(row.T);
            measured.push_back(std::abs(row.delta_measured));
            low.push_back(std::max(std::abs(row.delta_measured) - row.std_error, 1e-300));
            high.push_back(std::abs(row.delta_measured) + row.std_error);
          }
        }
        const auto colour = plots::palette_color(k);
        if (t.size() >= 1) panel.add(plots::Series::line(fmt::format("r = {} exact", r), t, exact).with_color(colour));
        if (!tm.empty())
          panel.add(plots::Series::error_bars(fmt::format("r = {} measured", r), tm, measured, low, high)
                        .with_color(colour)
                        .with_points(7, 0.9));
      }
      if (panel.series.empty()) figure.panels.pop_back();
    }
    if (!figure.panels.empty()) save(figure);
  }

  plots::Figure exponents;
  exponents.name = "exponents";
  exponents.panel_width_in = 8.0;
  exponents.title = "Fitted exponent p of |{/Symbol D}_r| ∝ T^{p}";  // enhanced text: a bare ~ would overprint
  plots::Panel& panel = exponents.add(plots::Panel{});
  panel.x_label = "interaction order r";
  panel.y_label = "log-log slope over T";
  panel.key = plots::KeyPosition::outside_right;
  panel.x_tics.assign(settings.r.begin(), settings.r.end());
  std::map<std::string, std::pair<std::vector<double>, std::vector<double>>> by_activation;
  for (const auto& s : slopes)
    if (std::isfinite(s.slope_exact) && s.b == settings.b.front()) {
      by_activation[s.activation].first.push_back(s.r);
      by_activation[s.activation].second.push_back(s.slope_exact);
    }
  std::vector<double> r_axis, reference;
  for (int r : settings.r) {
    r_axis.push_back(r);
    reference.push_back(settings.v.sqrt_T ? -0.5 * r : -r);
  }
  panel.add(plots::Series::line(settings.v.sqrt_T ? "-r/2 (smooth {/Symbol s})" : "-r (smooth {/Symbol s})", r_axis,
                                reference)
                .with_color("#000000")
                .with_dash(2));
  std::size_t colour = 0;
  for (const auto& activation : settings.activations) {
    const auto it = by_activation.find(activation);
    if (it == by_activation.end()) continue;
    // More activations than palette colours: the second round is dashed.
    const auto c = plots::palette_color(colour);
    const int dash = 1 + static_cast<int>(colour / plots::series_palette().size());
    ++colour;
    panel.add(plots::Series::line(activation, it->second.first, it->second.second).with_color(c).with_dash(dash));
    panel.add(plots::Series::points("", it->second.first, it->second.second).with_color(c).with_points(7, 0.9));
  }
  panel.title = fmt::format("b = {}", settings.b.front());
  save(exponents);
}

}  // namespace cotdyn::interaction
