#include <cotdyn/models/state_tracking/theory_output.hpp>

#include <cmath>

#include <fmt/format.h>

namespace cotdyn::models::state_tracking {

namespace {
std::vector<double> row_values(const meanfield::TheoryRow& row, std::size_t d_index) {
  return meanfield::theory_values(row, /*finite_d=*/true, d_index);
}
const std::vector<std::string>& columns_of(const meanfield::TheoryResult& result) {
  return meanfield::theory_columns(/*finite_d=*/true, result.label_noise, result.gram);
}
nlohmann::json number_or_null(double v) { return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v); }
std::string time_or_never(double v) { return std::isnan(v) ? std::string("not reached") : fmt::format("{:.4f}", v); }
}  // namespace

std::pair<std::vector<std::string>, std::vector<std::vector<double>>> theory_rows(const meanfield::TheoryResult& result) {
  std::vector<std::vector<double>> rows;
  for (const auto& row : result.rows) rows.push_back(row_values(row, 0));
  return {columns_of(result), rows};
}

core::CsvTable theory_table(const meanfield::TheoryResult& result) {
  core::CsvTable table(columns_of(result));
  for (const auto& row : result.rows) table.add_row(row_values(row, 0));
  return table;
}

std::vector<Milestone> milestones(const meanfield::TheoryResult& result) {
  const auto& m = result.milestones;
  return {{"lock_on_time", m.lock_on_time},
          {"lock_on_time_closed_form", m.lock_on_estimate},
          {"lock_on_time_frozen_attention", m.lock_on_frozen},
          {"offtarget_peak_time", m.offtarget_peak_time},
          {"offtarget_peak", m.offtarget_peak},
          {"rollout_half_time_inf", m.rollout_half_time_inf},
          {"rollout_half_time", m.rollout_half_time.empty() ? std::nan("") : m.rollout_half_time[0]}};
}

core::CsvTable theory_table_long(const std::vector<meanfield::TheoryResult>& results) {
  // Every result comes from the same config but d: the label-noise columns are those of the first.
  const auto& columns = results.empty() ? columns_of(meanfield::TheoryResult{}) : columns_of(results.front());
  std::vector<std::string> long_columns = {"d"};
  long_columns.insert(long_columns.end(), columns.begin(), columns.end());
  core::CsvTable table(long_columns);
  for (const auto& result : results)
  for (std::size_t k = 0; k < result.dims.size(); ++k) {
    for (const auto& row : result.rows) {
      std::vector<double> values = {result.dims[k]};
      const auto rest = row_values(row, k);
      values.insert(values.end(), rest.begin(), rest.end());
      table.add_row(values);
    }
  }
  return table;
}

nlohmann::json milestones_json(const meanfield::TheoryResult& result) {
  const auto& m = result.milestones;
  nlohmann::json j;
  j["lock_on_time"] = number_or_null(m.lock_on_time);
  j["lock_on_time_closed_form"] = number_or_null(m.lock_on_estimate);
  j["lock_on_time_frozen_attention"] = number_or_null(m.lock_on_frozen);
  j["offtarget_peak_time"] = number_or_null(m.offtarget_peak_time);
  j["offtarget_peak"] = number_or_null(m.offtarget_peak);
  j["rollout_half_time_inf"] = number_or_null(m.rollout_half_time_inf);
  for (std::size_t k = 0; k < result.dims.size(); ++k)
    j["rollout_half_time"][fmt::format("{}", result.dims[k])] = number_or_null(m.rollout_half_time[k]);
  for (std::size_t k = 0; k < result.gram_lock_on.size(); ++k)
    j["lock_on_time_gram"][fmt::format("{}", result.dims[k])] = number_or_null(result.gram_lock_on[k]);
  j["ode_steps"] = result.steps;
  return j;
}

std::string milestones_report(const meanfield::TheoryResult& result) {
  const auto& m = result.milestones;
  std::string out;
  out += fmt::format("  Q peaks (mixed heuristic)     t = {}   Q = {:.4f}\n", time_or_never(m.offtarget_peak_time),
                     m.offtarget_peak);
  out += fmt::format("  attention locks on (alpha=1/2) t_1/2 = {}   closed form {:.4f}", time_or_never(m.lock_on_time),
                     m.lock_on_estimate);
  if (!std::isnan(m.lock_on_time))
    out += fmt::format(" ({:+.1f} %)", 100 * (m.lock_on_estimate - m.lock_on_time) / m.lock_on_time);
  out += fmt::format(", frozen attention {:.4f}", m.lock_on_frozen);
  if (!std::isnan(m.lock_on_time))
    out += fmt::format(" ({:+.1f} %)", 100 * (m.lock_on_frozen - m.lock_on_time) / m.lock_on_time);
  out += "\n";
  out += fmt::format("  rollout accuracy = 0.5        d = inf: t = {}", time_or_never(m.rollout_half_time_inf));
  for (std::size_t k = 0; k < result.dims.size(); ++k)
    out += fmt::format(";  d = {}: t = {}", result.dims[k], time_or_never(m.rollout_half_time[k]));
  out += "\n";
  if (!result.rows.empty()) {
    const auto& last = result.rows.back();
    out += fmt::format("  at t = {}: M = {:.4f}, alpha = {:.4f}, R = {:.4f}, Q = {:.4f}, loss = {:.4f}, "
                       "step acc (d=inf) = {:.4f}\n",
                       last.t, last.state.attention_retrieval, last.derived.correct_lag_weight,
                       last.state.teacher_alignment, last.state.offtarget_overlap, last.loss, last.step_acc_inf);
    for (std::size_t k = 0; k < last.gram_mean.size(); ++k) {  // docs/theory.md §4.8
      const auto& m = last.gram_mean[k];
      const auto& sd = last.gram_sd[k];
      out += fmt::format("  Gram flow at d = {} (draw mean ± s.d.): lock-on t_1/2 = {}; at t = {}: M = {:.4f}, "
                         "R = {:.4f} ± {:.4f}, Q = {:.4f} ± {:.4f}, R_c = {:.4f} ± {:.4f}, Q_c = {:.4f} ± {:.4f}, "
                         "step acc = {:.4f}\n",
                         result.dims[k], time_or_never(result.gram_lock_on[k]), last.t, m.M, m.logit.teacher,
                         sd.logit.teacher, m.logit.image, sd.logit.image, m.coefficient.teacher,
                         sd.coefficient.teacher, m.coefficient.image, sd.coefficient.image, m.step_acc);
    }
    if (last.label_noise)  // docs/theory.md §16
      out += fmt::format("  label noise: p_1 = {:.4f}, entropy = {:.4f} (target {:.4f}), loss on noisy targets = {:.4f}\n",
                         last.label_noise->correct_probability, last.label_noise->entropy,
                         last.label_noise->target_entropy, last.label_noise->noisy_loss);
  }
  return out;
}

}  // namespace cotdyn::models::state_tracking
