#pragma once
// The ablation study's analysis: each variant's finite-d runs against the mean-field ODE and against
// the solvable model's own runs at the same d (the baseline). Per variant and d: the lock-on time,
// the staged-learning check, the plateau per-step accuracy, the final rollout accuracy, the RMS
// distance of alpha, R and Q from the ODE, and a verdict. Torch-free: it works on compare's plain
// data, so it is tested on synthetic runs.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <cotdyn/analysis/compare/comparison_data.hpp>
#include <cotdyn/meanfield/state_tracking/parameters.hpp>
#include <cotdyn/analysis/compare/staged_learning.hpp>
#include <cotdyn/analysis/ablate/variants.hpp>

namespace cotdyn::ablate {

// One training run of the study: a variant at one d, all its seeds.
struct VariantRun {
  std::size_t variant = 0;                 // index into AblationInput::variants
  int d = 0;
  compare::SimulatedRun run;               // the seeds that reached t_max (none when the run failed)
  std::string error;                       // why the run failed; empty when it ran
  std::vector<std::string> seed_failures;  // seeds stopped by a non-finite value
  double seconds = 0;                      // wall time of the run
};

struct AblationInput {
  meanfield::ModelParameters parameters;  // the config's: the solvable model's ODE
  meanfield::Tolerances tolerances;
  double t_max = 100;
  std::vector<int> dims;
  std::vector<Variant> variants;
  std::vector<VariantRun> runs;  // any order; one per (variant, d) that was run
};

// How the theory fares on one variant at one d: robust (the stages as the ODE has them on the same
// rules, and the numbers within the rule's tolerances), deviates (the same stages, a number off),
// breaks (a stage differs from the ODE's: e.g. no lock-on where the ODE locks on), failed (no run).
enum class Verdict { robust, deviates, breaks, failed };
std::string to_string(Verdict verdict);

// The thresholds of the verdict (see ablation_row): a variant is robust when its stages come in the
// predicted order, its lock-on time is within `lock_on_tolerance` (relative) of the ODE's, and its
// RMS distance from the ODE of alpha, R and Q is at most `rms_ratio` times the baseline's at the same
// d (a baseline value below the floor counts as the floor).
struct VerdictRule {
  double lock_on_tolerance = 0.10;
  double rms_ratio = 2.0;
  double floor_alpha = 0.02, floor_R = 0.05, floor_Q = 0.05;
};

struct AblationRow {
  std::string variant;   // "baseline", "rope=geometric", "content_qk+rope=geometric"
  std::string switches;  // the switches joined by ";" (empty for the baseline)
  int d = 0;
  int seeds = 0;         // seeds that reached t_max
  int failed_seeds = 0;  // seeds stopped by a non-finite value
  std::string error;     // the run failed: why
  // Lock-on: each seed's first crossing of its measured alpha = 1/2 (linear between observations),
  // mean and standard deviation (ddof 0) over the seeds that cross; the compare command's method
  // (M = M_1/2, log-linear) alongside; the ODE's exact crossing (dense output).
  double t_half = 0, t_half_std = 0;
  int locked_seeds = 0;
  double t_half_M = 0;
  double theory_t_half = 0;
  // The staged-learning check on the seed means of alpha, R and Q (compare/staged_learning.hpp).
  compare::StageCheck stages;
  bool stage_order_ok = false;  // every stage observed, in the predicted order
  // Seed-mean per-step accuracy at t_half / 2 (the sweep's plateau milestone) and the
  // logit-distribution prediction (docs/theory.md §5) at the ODE's t_1/2 / 2 at this d.
  double plateau_step_acc = 0, theory_plateau_step_acc = 0;
  // Seed-mean exact-match rollout accuracy at the last observation, and the prediction there.
  double final_rollout_acc = 0, theory_final_rollout_acc = 0;
  // RMS over the observation times of |seed mean - ODE| (compare::discrepancy).
  double rms_alpha = 0, rms_R = 0, rms_Q = 0;
  Verdict verdict = Verdict::failed;
  std::string reason;  // the numbers behind the verdict
};

struct AblationOutcome {
  std::vector<AblationRow> rows;                   // variant order of the input, d increasing
  std::vector<const VariantRun*> row_runs;         // the run of each row (never null)
  std::vector<compare::TheorySeries> row_theory;   // per row: the variant's ODE at the run's times, LD at d
  std::vector<compare::TheorySeries> variant_dense;  // per variant: its ODE on a fine grid
  std::vector<compare::StageCheck> variant_theory_stages;  // per variant: the stage check on its ODE
  compare::TheorySeries solvable_dense;            // the solvable model's ODE on the fine grid
  double ode_t_half = 0;                           // its lock-on time (exact, dense output)
  std::string report;                              // Markdown
};

AblationOutcome analyse(const AblationInput& input, const VerdictRule& rule = {});

// The columns of ablation.csv, and the file itself.
std::vector<std::string> ablation_csv_columns();
void write_ablation_csv(const AblationOutcome& outcome, const std::filesystem::path& path);
// ablation.csv, report.md and the figures in DIR/figures/ (rendered unless `render` is false).
void write_ablation(const AblationOutcome& outcome, const AblationInput& input, const std::filesystem::path& directory,
                    bool render);
nlohmann::json outcome_json(const AblationOutcome& outcome);

}  // namespace cotdyn::ablate
