#pragma once
// A theory sweep point: the mean-field ODE (docs/theory.md §4) solved once, with the milestones of
// points.csv. The logit-distribution accuracy (docs/theory.md §5, ~1 ms per evaluation) is computed only
// at the two times the milestones need, t_1/2 / 2 and t_max, never along the trajectory.
#include <cotdyn/analysis/sweep/point_runner.hpp>

namespace cotdyn::sweep {

class TheoryPointRunner final : public PointRunner {
 public:
  // `trajectory = false`: the record has no trajectory table, and the ODE is observed at t_max only
  // (the same steps, hence the same milestones, as with the table).
  explicit TheoryPointRunner(bool trajectory = true) : trajectory_(trajectory) {}

  // t_half: lock-on time (alpha = 1/2); t_half_estimate: closed form of docs/theory.md §6; Q_max and
  // t_Q_max: first maximum of Q; plateau_step_acc: per-step accuracy at t_half / 2 for model.d;
  // final_*: per-step and rollout accuracy at train.t_max, for model.d and for d = infinity.
  std::vector<std::string> milestone_names() const override;
  void check(const core::Config& config) const override;
  PointRecord run(const core::Config& config) const override;

 private:
  bool trajectory_;
};

}  // namespace cotdyn::sweep
