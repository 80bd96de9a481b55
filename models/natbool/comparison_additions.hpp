#pragma once
// What the Boolean-DAG experiment adds to compare (docs/models/natbool.md §3.3, §5, §6): per order r,
// regime and seed the steps to 95 % and 99 %, final and latent accuracy, sequential steps per answer
// and the initial signal (regimes.csv); the exact initial gradient signal per target for the orders
// of natbool.signal_r (signal.csv, signal_summary.csv) beside the one-layer law; the inference time
// per answer; three figures; and the checks of the design's predictions (its acceptance rules).
#include <vector>

#include <cotdyn/core/config.hpp>
#include <cotdyn/models/comparison.hpp>

namespace cotdyn::models::natbool {

ComparisonAdditions comparison_additions(const core::Config& config, const std::vector<ComparedSize>& sizes);

}  // namespace cotdyn::models::natbool
