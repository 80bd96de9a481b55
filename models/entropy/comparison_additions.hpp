#pragma once
// What the entropy study adds to `compare` (docs/models/entropy.md): the per-variant decomposition of
// the entropy deficit (entropy_probes.csv over time, entropy_summary.csv at each variant's last
// observation, with the Jensen gap), the instability table (spikes.csv), the figure entropy_probes
// (entropy per variant against H_mf(t) and H_target; the sharpening and KL terms; the active fraction
// per width), and the predictions P-a1 ... P-a5 with measured numbers and verdicts.
#include <cotdyn/core/config.hpp>
#include <cotdyn/models/comparison.hpp>

namespace cotdyn::models::entropy {

ComparisonAdditions comparison_additions(const core::Config& config, const std::vector<ComparedSize>& sizes);

// Fisher's combination of independent p-values: P(chi^2_{2k} >= -2 sum log p) (1 for none).
double fisher_combined(const std::vector<double>& p_values);

}  // namespace cotdyn::models::entropy
