#pragma once
// The files of `cotdyn interaction`: interaction.csv, slopes.csv, compression.csv and the figures.
#include <filesystem>
#include <vector>

#include "config.hpp"
#include "interaction/cot_compression.hpp"
#include "interaction/prediction.hpp"
#include "interaction/settings.hpp"
#include "interaction/slopes.hpp"
#include "output.hpp"

namespace cotdyn::cli {

// [interaction] -> settings (validated; errors name interaction.<key>).
interaction::InteractionSettings resolve_interaction_settings(const Config& config);

CsvTable interaction_table(const std::vector<interaction::InteractionRow>& rows);
CsvTable slopes_table(const std::vector<interaction::SlopeRow>& slopes);
CsvTable compression_table(const std::vector<interaction::CompressionRow>& rows);

// One figure per activation (|Delta_r| against T, log-log, a colour per r, a panel per b) and one of the
// fitted exponent against r.
void write_interaction_figures(const interaction::InteractionSettings& settings,
                               const std::vector<interaction::InteractionRow>& rows,
                               const std::vector<interaction::SlopeRow>& slopes, const std::filesystem::path& directory,
                               bool render);

}  // namespace cotdyn::cli
