#include <cotdyn/analysis/compare/theory_series.hpp>

namespace cotdyn::compare {

TheorySeries theory_series(const meanfield::TheoryResult& result, int d) {
  TheorySeries series;
  series.d = d;
  auto& v = series.values;
  for (const auto& row : result.rows) {
    // The LD pair only when the run computed it.
    const bool finite_d = !row.step_acc_ld.empty();
    const auto& names = meanfield::theory_columns(finite_d, row.label_noise.has_value(), !row.gram_mean.empty());
    const auto values = meanfield::theory_values(row, finite_d);
    series.t.push_back(values[0]);
    for (std::size_t c = 1; c < names.size(); ++c) v[names[c]].push_back(values[c]);
  }
  series.lock_on_time = result.milestones.lock_on_time;
  series.rollout_half_time = result.milestones.rollout_half_time.empty() ? result.milestones.rollout_half_time_inf
                                                                         : result.milestones.rollout_half_time[0];
  return series;
}

}  // namespace cotdyn::compare
