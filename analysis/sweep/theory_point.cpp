#include <cotdyn/analysis/sweep/theory_point.hpp>
#include <cotdyn/core/observation_grid.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include <cotdyn/meanfield/state_tracking/accuracy.hpp>
#include <cotdyn/meanfield/state_tracking/context_average.hpp>
#include <cotdyn/meanfield/state_tracking/meanfield_ode.hpp>
#include <cotdyn/meanfield/state_tracking/plateau_estimate.hpp>
#include <cotdyn/models/state_tracking/resolve.hpp>
#include <cotdyn/meanfield/state_tracking/solver.hpp>
#include <cotdyn/meanfield/state_tracking/theory_run.hpp>

namespace cotdyn::sweep {

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

struct TheoryInputs {
  meanfield::ModelParameters parameters;
  meanfield::Tolerances tolerances;
  std::vector<double> times;  // observation times
  double t_max;
  double d;
};

TheoryInputs resolve_inputs(const core::Config& config) {
  TheoryInputs in;
  in.parameters = models::state_tracking::resolve_model_parameters(config);
  in.tolerances = models::state_tracking::resolve_tolerances(config);
  in.times = core::resolve_observation_times(config);
  in.t_max = core::resolve_t_max(config);
  in.d = static_cast<double>(config.get_integer("model.d"));
  if (!(in.d >= 1)) throw std::invalid_argument(fmt::format("model.d = {}: must be >= 1", in.d));
  return in;
}
}  // namespace

std::vector<std::string> TheoryPointRunner::milestone_names() const {
  return {"t_half",           "t_half_estimate", "Q_max",          "t_Q_max",
          "plateau_step_acc", "final_step_acc",  "final_rollout_acc", "final_step_acc_inf",
          "final_rollout_acc_inf", "ode_steps"};
}

void TheoryPointRunner::check(const core::Config& config) const { resolve_inputs(config); }

PointRecord TheoryPointRunner::run(const core::Config& config) const {
  const TheoryInputs in = resolve_inputs(config);
  const meanfield::MeanFieldOde ode(in.parameters);
  const meanfield::AccuracyModel accuracy(in.parameters);

  // The final milestones need the state at t_max even when the observation grid stops earlier. The
  // solver's steps do not depend on the observation times before the last, so without a table t_max
  // alone gives the same milestones.
  std::vector<double> times = trajectory_ ? in.times : std::vector<double>{};
  const bool t_max_observed = !times.empty() && times.back() == in.t_max;
  if (!t_max_observed) times.push_back(in.t_max);
  const meanfield::Solution solution = meanfield::solve(ode, times, in.tolerances);

  PointRecord record;
  if (trajectory_)
    record.trajectory_columns = meanfield::theory_columns(/*finite_d=*/false, meanfield::has_label_noise(in.parameters));
  const std::size_t observed = !trajectory_ ? 0 : (t_max_observed ? solution.times.size() : solution.times.size() - 1);
  for (std::size_t i = 0; i < observed; ++i) {
    const auto& x = solution.states[i];
    const auto q = meanfield::derive(in.parameters, x);
    const double step = accuracy.step_accuracy_noise_free(x);
    const meanfield::TheoryRow row{solution.times[i], x, q,
                                   meanfield::population_loss(in.parameters, ode.count_vectors(), q), step,
                                   accuracy.rollout_accuracy(step), accuracy.final_state_accuracy(step), {}, {}, {}, {},
                                   meanfield::label_noise_observables(in.parameters, ode.count_vectors(), q)};
    record.trajectory.push_back(meanfield::theory_values(row, /*finite_d=*/false));
  }

  // The plateau accuracy halfway to lock-on: a second, shorter solve to t_1/2 / 2.
  double plateau_step = nan;
  if (std::isfinite(solution.lock_on_time)) {
    const auto halfway = meanfield::solve(ode, {0.5 * solution.lock_on_time}, in.tolerances);
    plateau_step = accuracy.step_accuracy(halfway.states.back(), in.d);
  }
  const auto& final_state = solution.states.back();
  const double final_step = accuracy.step_accuracy(final_state, in.d);
  const double final_step_inf = accuracy.step_accuracy_noise_free(final_state);
  record.milestones = {solution.lock_on_time,
                       meanfield::lock_on_time_estimate(in.parameters),
                       solution.offtarget_peak,
                       solution.offtarget_peak_time,
                       plateau_step,
                       final_step,
                       accuracy.rollout_accuracy(final_step),
                       final_step_inf,
                       accuracy.rollout_accuracy(final_step_inf),
                       static_cast<double>(solution.steps)};
  return record;
}

}  // namespace cotdyn::sweep
