#include <cotdyn/meanfield/state_tracking/theory_run.hpp>

#include <cmath>
#include <limits>

#include <cotdyn/meanfield/state_tracking/label_noise.hpp>
#include <cotdyn/meanfield/state_tracking/frozen_attention_escape.hpp>
#include <cotdyn/meanfield/state_tracking/plateau_estimate.hpp>

namespace cotdyn::meanfield {

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// The rollout accuracy rises sharply near lock-on: bracket its first crossing of 0.5 on the
// observation grid, then locate it with the dense output inside that bracket.
double rollout_half_time(const MeanFieldOde& ode, const Tolerances& tolerances, const TheoryResult& result,
                         const std::function<double(const OrderParameters&)>& rollout) {
  const auto& rows = result.rows;
  for (std::size_t i = 0; i + 1 < rows.size(); ++i) {
    if (rollout(rows[i].state) < 0.5 && rollout(rows[i + 1].state) >= 0.5)
      return first_upward_crossing(ode, rows[i].t, rows[i].state, rows[i + 1].t,
                                   [&](const OrderParameters& x) { return rollout(x) - 0.5; }, tolerances);
  }
  return nan;
}
}  // namespace

bool has_label_noise(const ModelParameters& p) { return p.label_noise > 0; }

std::optional<LabelNoiseObservables> label_noise_observables(const ModelParameters& p, const CountVectors& counts,
                                                             const DerivedQuantities& q) {
  if (!has_label_noise(p)) return std::nullopt;
  return LabelNoiseObservables{context_average(p, counts, q).correct_probability, model_entropy(p, counts, q),
                               target_entropy(p), noisy_population_loss(p, counts, q)};
}

TheoryResult run_theory(const ModelParameters& parameters, const std::vector<double>& times,
                        const Tolerances& tolerances, const std::vector<double>& dims,
                        const std::optional<FiniteSizeTheory>& gram) {
  const MeanFieldOde ode(parameters);
  const AccuracyModel accuracy(parameters);
  const Solution solution = solve(ode, times, tolerances);

  TheoryResult result;
  result.dims = dims;
  result.steps = solution.steps;
  result.label_noise = has_label_noise(parameters);
  for (std::size_t i = 0; i < solution.times.size(); ++i) {
    TheoryRow row;
    row.t = solution.times[i];
    row.state = solution.states[i];
    row.derived = derive(parameters, row.state);
    row.loss = population_loss(parameters, ode.count_vectors(), row.derived);
    row.step_acc_inf = accuracy.step_accuracy_noise_free(row.state);
    row.rollout_acc_inf = accuracy.rollout_accuracy(row.step_acc_inf);
    row.final_acc_inf = accuracy.final_state_accuracy(row.step_acc_inf);
    row.label_noise = label_noise_observables(parameters, ode.count_vectors(), row.derived);
    for (double d : dims) {
      row.step_acc_ld.push_back(accuracy.step_accuracy(row.state, d));
      row.rollout_acc_ld.push_back(accuracy.rollout_accuracy(row.step_acc_ld.back()));
      row.final_acc_ld.push_back(accuracy.final_state_accuracy(row.step_acc_ld.back()));
      if (row.label_noise) row.entropy_ld.push_back(accuracy.entropy(row.state, d));
    }
    result.rows.push_back(std::move(row));
  }

  if (gram) {
    result.gram = true;
    for (double d : dims) {
      const auto flow = run_gram_theory(parameters, *gram, static_cast<int>(d), solution.times);
      for (std::size_t i = 0; i < result.rows.size(); ++i) {
        result.rows[i].gram_mean.push_back(flow.mean[i]);
        result.rows[i].gram_sd.push_back(flow.sd[i]);
      }
      result.gram_lock_on.push_back(flow.lock_on_time_mean);
    }
  }

  TheoryMilestones& m = result.milestones;
  m.lock_on_time = solution.lock_on_time;
  m.lock_on_estimate = lock_on_time_estimate(parameters);
  m.lock_on_frozen = frozen_attention_escape(parameters, tolerances).lock_on;
  m.offtarget_peak_time = solution.offtarget_peak_time;
  m.offtarget_peak = solution.offtarget_peak;
  for (double d : dims)
    m.rollout_half_time.push_back(rollout_half_time(ode, tolerances, result, [&](const OrderParameters& x) {
      return accuracy.rollout_accuracy(accuracy.step_accuracy(x, d));
    }));
  m.rollout_half_time_inf = rollout_half_time(ode, tolerances, result, [&](const OrderParameters& x) {
    return accuracy.rollout_accuracy(accuracy.step_accuracy_noise_free(x));
  });
  return result;
}

const std::vector<std::string>& theory_columns(bool finite_d, bool label_noise, bool gram) {
  static const std::vector<std::string> d_infinity = {"t", "M",    "alpha",        "R",
                                                      "Q", "P",    "N",            "loss",
                                                      "step_acc_inf",              "rollout_acc_inf",
                                                      "final_acc_inf"};
  static const std::vector<std::string> noise_columns = {"p_correct", "entropy", "target_entropy", "noisy_loss"};
  static const std::vector<std::string> with_ld = [] {
    auto columns = d_infinity;
    columns.insert(columns.end(), {"step_acc_ld", "rollout_acc_ld", "final_acc_ld"});
    return columns;
  }();
  static const std::vector<std::string> d_infinity_noisy = [] {
    auto columns = d_infinity;
    columns.insert(columns.end(), noise_columns.begin(), noise_columns.end());
    return columns;
  }();
  static const std::vector<std::string> with_ld_noisy = [] {
    auto columns = with_ld;
    columns.insert(columns.end(), noise_columns.begin(), noise_columns.end());
    columns.push_back("entropy_ld");
    return columns;
  }();
  static const std::vector<std::string> gram_columns = {"M_gram",    "alpha_gram", "R_gram",      "Q_gram",
                                                        "R_c_gram",  "Q_c_gram",   "step_acc_gram", "R_gram_sd",
                                                        "Q_gram_sd", "R_c_gram_sd", "Q_c_gram_sd"};
  auto with_gram = [](const std::vector<std::string>& columns) {
    auto all = columns;
    all.insert(all.end(), gram_columns.begin(), gram_columns.end());
    return all;
  };
  static const std::vector<std::string> with_ld_gram = with_gram(with_ld), with_ld_noisy_gram = with_gram(with_ld_noisy);
  if (finite_d && gram) return label_noise ? with_ld_noisy_gram : with_ld_gram;
  if (label_noise) return finite_d ? with_ld_noisy : d_infinity_noisy;
  return finite_d ? with_ld : d_infinity;
}

std::vector<double> theory_values(const TheoryRow& row, bool finite_d, std::size_t d_index) {
  std::vector<double> values = {row.t,
                                row.state.attention_retrieval,
                                row.derived.correct_lag_weight,
                                row.state.teacher_alignment,
                                row.state.offtarget_overlap,
                                row.derived.other_overlap,
                                row.derived.qk_norm,
                                row.loss,
                                row.step_acc_inf,
                                row.rollout_acc_inf,
                                row.final_acc_inf};
  if (finite_d) {
    const bool has_d = d_index < row.step_acc_ld.size();
    values.push_back(has_d ? row.step_acc_ld[d_index] : std::nan(""));
    values.push_back(has_d ? row.rollout_acc_ld[d_index] : std::nan(""));
    values.push_back(has_d ? row.final_acc_ld[d_index] : std::nan(""));
  }
  if (row.label_noise) {
    const auto& noise = *row.label_noise;
    values.insert(values.end(), {noise.correct_probability, noise.entropy, noise.target_entropy, noise.noisy_loss});
    if (finite_d) values.push_back(d_index < row.entropy_ld.size() ? row.entropy_ld[d_index] : std::nan(""));
  }
  if (finite_d && !row.gram_mean.empty()) {
    const bool has_d = d_index < row.gram_mean.size();
    const GramObservables nan_row{std::nan(""), std::nan(""), {std::nan(""), std::nan(""), std::nan("")},
                                  {std::nan(""), std::nan(""), std::nan("")}, std::nan(""), std::nan("")};
    const auto& m = has_d ? row.gram_mean[d_index] : nan_row;
    const auto& sd = has_d ? row.gram_sd[d_index] : nan_row;
    values.insert(values.end(), {m.M, m.alpha, m.logit.teacher, m.logit.image, m.coefficient.teacher,
                                 m.coefficient.image, m.step_acc, sd.logit.teacher, sd.logit.image,
                                 sd.coefficient.teacher, sd.coefficient.image});
  }
  return values;
}

}  // namespace cotdyn::meanfield
