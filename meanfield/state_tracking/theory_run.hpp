#pragma once
// One theory run: the ODE trajectory at the observation times, every observable derived from it, and
// the staged-learning milestones. This is what `cotdyn theory` writes and what compare and sweeps reuse.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <cotdyn/meanfield/state_tracking/accuracy.hpp>
#include <cotdyn/meanfield/state_tracking/gram_theory.hpp>
#include <cotdyn/meanfield/state_tracking/solver.hpp>

namespace cotdyn::meanfield {

// The observables of the noisy task (docs/theory.md §16), written only when task.label_noise > 0.
struct LabelNoiseObservables {
  double correct_probability;  // p_1 = E4, the model's probability of the correct image
  double entropy;              // H_mf, the entropy of the model's predictive distribution (model_entropy)
  double target_entropy;       // H_target, the infimum of noisy_loss (constant in time)
  double noisy_loss;           // l_eps, the population loss on the noisy training targets
};

// Whether the theory writes the label-noise observables: only when task.label_noise > 0, so that the
// clean task's theory.csv keeps its columns.
bool has_label_noise(const ModelParameters& p);
// Nothing when !has_label_noise(p).
std::optional<LabelNoiseObservables> label_noise_observables(const ModelParameters& p, const CountVectors& counts,
                                                             const DerivedQuantities& q);

struct TheoryRow {
  double t;
  OrderParameters state;         // M, R, Q
  DerivedQuantities derived;     // P, N, alpha, ...
  double loss;                   // population loss
  double step_acc_inf;           // noise-free per-step accuracy (d = infinity)
  double rollout_acc_inf;        // its L-th power
  double final_acc_inf;          // the rollout's last state (AccuracyModel::final_state_accuracy)
  std::vector<double> step_acc_ld;     // logit-distribution per-step accuracy, one per requested d
  std::vector<double> rollout_acc_ld;  // its L-th power, one per requested d
  std::vector<double> final_acc_ld;    // the rollout's last state, one per requested d
  std::vector<double> entropy_ld;      // with label noise: the LD entropy (AccuracyModel::entropy), per d
  std::optional<LabelNoiseObservables> label_noise = std::nullopt;  // only when task.label_noise > 0
  // theory.finite_size = "gram": the Gram flow's draw mean and s.d. (docs/theory.md §4.8), per d.
  std::vector<GramObservables> gram_mean, gram_sd;
};

struct TheoryMilestones {
  double lock_on_time;           // alpha = 1/2 from the dense output (NaN if not reached)
  double lock_on_estimate;       // closed form of docs/theory.md §6
  double lock_on_frozen;         // the frozen-attention estimate of §6.1 (frozen_attention_escape)
  double offtarget_peak_time;    // first maximum of Q
  double offtarget_peak;
  std::vector<double> rollout_half_time;  // predicted rollout accuracy crosses 0.5, one per requested d
  double rollout_half_time_inf;           // the same at d = infinity
};

struct TheoryResult {
  std::vector<double> dims;  // the embedding dimensions of the d-dependent columns
  std::vector<TheoryRow> rows;
  TheoryMilestones milestones;
  long steps;
  bool label_noise = false;  // has_label_noise(parameters): every row carries LabelNoiseObservables
  bool gram = false;         // the run had a FiniteSizeTheory: every row carries gram_mean, gram_sd per d
  std::vector<double> gram_lock_on;  // per d: the draws' mean lock-on time (NaN if none locked on)
};

// The theory's columns, the one list every table of the theory is written from: t, M, alpha, R, Q, P, N,
// loss, step_acc_inf, rollout_acc_inf, final_acc_inf; with `finite_d`, the logit-distribution triple
// step_acc_ld, rollout_acc_ld, final_acc_ld (docs/theory.md §4-5); with `label_noise`, p_correct, entropy, target_entropy,
// noisy_loss (§16), and with both entropy_ld (§16.3); with `finite_d` and `gram`, last, the Gram flow's
// draw means M_gram, alpha_gram, R_gram, Q_gram, R_c_gram, Q_c_gram, step_acc_gram and draw s.d.s
// R_gram_sd, Q_gram_sd, R_c_gram_sd, Q_c_gram_sd (§4.8). `loss` is always the clean (evaluation) loss.
const std::vector<std::string>& theory_columns(bool finite_d, bool label_noise, bool gram = false);
// A row's values in the order of theory_columns(finite_d, row.label_noise.has_value()); the LD triple is
// that of the d_index-th requested d, NaN when the row has none.
std::vector<double> theory_values(const TheoryRow& row, bool finite_d, std::size_t d_index = 0);

// dims may be empty (then only the d = infinity accuracies are computed). With `gram`, the Gram flow runs
// at every d of dims as well.
TheoryResult run_theory(const ModelParameters& parameters, const std::vector<double>& times,
                        const Tolerances& tolerances, const std::vector<double>& dims,
                        const std::optional<FiniteSizeTheory>& gram = std::nullopt);

}  // namespace cotdyn::meanfield
