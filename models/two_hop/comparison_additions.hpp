#pragma once
// What the two-hop experiment adds to compare (docs/models/two_hop.md §8): per depth, arm and
// evaluation the seed-mean accuracies (accuracy.csv), logit-lens MRRs (lens.csv) and per-block
// attention bypass (bypass.csv), the figures (accuracy curves per arm and the logit-lens panel), the
// checks of predictions P-b1 ... P-b5 and the final per-block bypass as a measurement (no prediction).
#include <string>
#include <vector>

#include <cotdyn/core/config.hpp>
#include <cotdyn/models/comparison.hpp>

namespace cotdyn::models::two_hop {

ComparisonAdditions comparison_additions(const core::Config& config, const std::vector<ComparedSize>& sizes);

// The time at which `values` first crosses `level` from below, linearly interpolated between the
// observations around it (NaN: never; t[0] when it starts at or above).
double crossing_time(const std::vector<double>& t, const std::vector<double>& values, double level);

// The first block l (0 = embeddings) at which the MRR reaches `level`; blocks + 1 when none does.
int readable_block(const std::vector<double>& mrr_per_block, double level);

// How a per-block quantity changes from block 1 to block L: "falls" (each block below the one before),
// "rises" (each above), "one block", or "neither" (equal neighbours, a turn, or a NaN).
std::string depth_trend(const std::vector<double>& per_block);

}  // namespace cotdyn::models::two_hop
