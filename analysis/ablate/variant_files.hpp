#pragma once
// Each finished run of the study (one variant at one d) is kept in its own pair of files, so that an
// interrupted study resumes without retraining what it finished:
//   DIR/runs/<slug>_d<d>.csv   seed,t, then every measured column: one row per seed and observation
//   DIR/runs/<slug>_d<d>.json  variant, d, columns, seeds stopped by a non-finite value, wall time
// Both are written atomically, the JSON last: a run is finished when its JSON exists.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <cotdyn/analysis/ablate/ablation_study.hpp>

namespace cotdyn::ablate {

std::filesystem::path variant_run_stem(const std::filesystem::path& directory, const std::string& variant, int d);

// `columns` fixes the column order of the CSV (every quantity of the run's seeds).
void write_variant_run(const std::filesystem::path& directory, const Variant& variant, const VariantRun& run,
                       const std::vector<std::string>& columns);

// The finished run of `variant` at d, or nothing when its files are absent. Throws std::runtime_error
// when they exist but do not belong to this variant and d, or do not parse.
std::optional<VariantRun> read_variant_run(const std::filesystem::path& directory, const Variant& variant,
                                           std::size_t variant_index, int d);

}  // namespace cotdyn::ablate
