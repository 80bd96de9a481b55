#pragma once
// The theory's results as files: theory.csv (wide, one configured d) and its long form with a d
// column (used when several d are compared), plus the milestones as JSON for the manifest.
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <cotdyn/core/output.hpp>
#include <cotdyn/meanfield/state_tracking/theory_run.hpp>
#include <cotdyn/models/trajectory.hpp>

namespace cotdyn::models::state_tracking {

// Columns t,M,alpha,R,Q,P,N,loss,step_acc_inf,rollout_acc_inf,step_acc_ld,rollout_acc_ld (dims[0]),
// and their rows.
std::pair<std::vector<std::string>, std::vector<std::vector<double>>> theory_rows(const meanfield::TheoryResult& result);
core::CsvTable theory_table(const meanfield::TheoryResult& result);
// Columns d,t,M,alpha,R,Q,P,N,loss,step_acc_inf,rollout_acc_inf,step_acc_ld,rollout_acc_ld: one block per d
// of each result (compare runs the theory at each d's own observation times, step / d).
core::CsvTable theory_table_long(const std::vector<meanfield::TheoryResult>& results);
nlohmann::json milestones_json(const meanfield::TheoryResult& result);
// The milestones by name (NaN: not reached): lock_on_time, lock_on_time_closed_form,
// lock_on_time_frozen_attention,
// offtarget_peak_time, offtarget_peak, rollout_half_time_inf, rollout_half_time (at dims[0]).
std::vector<Milestone> milestones(const meanfield::TheoryResult& result);
// A few lines for the terminal.
std::string milestones_report(const meanfield::TheoryResult& result);

}  // namespace cotdyn::models::state_tracking
