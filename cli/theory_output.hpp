#pragma once
// The theory's results as files: theory.csv (wide, one configured d) and its long form with a d
// column (used when several d are compared), plus the milestones as JSON for the manifest.
#include <nlohmann/json.hpp>

#include "output.hpp"
#include "theory_run.hpp"

namespace cotdyn::cli {

// Columns t,M,alpha,R,Q,P,N,loss,step_acc_inf,rollout_acc_inf,step_acc_ld,rollout_acc_ld (dims[0]).
CsvTable theory_table(const meanfield::TheoryResult& result);
// Columns d,t,M,alpha,R,Q,P,N,loss,step_acc_inf,rollout_acc_inf,step_acc_ld,rollout_acc_ld: one block per d
// of each result (compare runs the theory at each d's own observation times, step / d).
CsvTable theory_table_long(const std::vector<meanfield::TheoryResult>& results);
nlohmann::json milestones_json(const meanfield::TheoryResult& result);
// A few lines for the terminal.
std::string milestones_report(const meanfield::TheoryResult& result);

}  // namespace cotdyn::cli
