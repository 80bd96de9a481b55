#pragma once
// The files of `cotdyn interaction`: interaction.csv, slopes.csv, compression.csv and the figures.
#include <filesystem>
#include <vector>

#include <cotdyn/core/config.hpp>
#include <cotdyn/interaction/cot_compression.hpp>
#include <cotdyn/interaction/prediction.hpp>
#include <cotdyn/interaction/settings.hpp>
#include <cotdyn/interaction/slopes.hpp>
#include <cotdyn/core/output.hpp>

namespace cotdyn::interaction {

// [interaction] -> settings (validated; errors name interaction.<key>).
interaction::InteractionSettings resolve_interaction_settings(const core::Config& config);

core::CsvTable interaction_table(const std::vector<interaction::InteractionRow>& rows);
core::CsvTable slopes_table(const std::vector<interaction::SlopeRow>& slopes);
core::CsvTable compression_table(const std::vector<interaction::CompressionRow>& rows);

// One figure per activation (|Delta_r| against T, log-log, a colour per r, a panel per b) and one of the
// fitted exponent against r.
void write_interaction_figures(const interaction::InteractionSettings& settings,
                               const std::vector<interaction::InteractionRow>& rows,
                               const std::vector<interaction::SlopeRow>& slopes, const std::filesystem::path& directory,
                               bool render);

}  // namespace cotdyn::interaction
