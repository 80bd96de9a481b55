#include <cotdyn/analysis/compare/theory_series.hpp>

namespace cotdyn::compare {

TheorySeries theory_series(const meanfield::TheoryResult& result, int d) {
  TheorySeries series;
  series.d = d;
  auto& v = series.values;
  for (const auto& row : result.rows) {
    series.t.push_back(row.t);
    v["M"].push_back(row.state.attention_retrieval);
    v["alpha"].push_back(row.derived.correct_lag_weight);
    v["R"].push_back(row.state.teacher_alignment);
    v["Q"].push_back(row.state.offtarget_overlap);
    v["P"].push_back(row.derived.other_overlap);
    v["N"].push_back(row.derived.qk_norm);
    v["loss"].push_back(row.loss);
    v["step_acc_inf"].push_back(row.step_acc_inf);
    v["rollout_acc_inf"].push_back(row.rollout_acc_inf);
    if (!row.step_acc_ld.empty()) {
      v["step_acc_ld"].push_back(row.step_acc_ld[0]);
      v["rollout_acc_ld"].push_back(row.rollout_acc_ld[0]);
    }
  }
  series.lock_on_time = result.milestones.lock_on_time;
  series.rollout_half_time = result.milestones.rollout_half_time.empty() ? result.milestones.rollout_half_time_inf
                                                                         : result.milestones.rollout_half_time[0];
  return series;
}

}  // namespace cotdyn::compare
