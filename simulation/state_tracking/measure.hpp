#pragma once
// The measurements of docs/theory.md §3, per seed, on a fixed evaluation set: attention retrieval,
// order parameters in logit and coefficient space, loss, accuracies and the logit noise. Written once
// against StateTrackingNetwork, so the solvable model and the general model of the [ablation]
// switches (docs/theory.md §11.2) measure the same columns the same way:
//  * M, N: the beacon's score at the retrieval lag and the norms of its query and key;
//  * alpha: the attention weight on the correct action, averaged over the teacher-forced queries;
//  * R, Q, P: class means of the logit tensor T; R_c, Q_c, P_c: of the coefficients (NaN where the
//    network has none: the MLP logic, or d < n);
//  * loss, step_acc: teacher-forced; rollout_acc, final_acc: the network's own predictions fed back;
//  * var_image, var_other: logit noise around the three-class mean field of the measured R, Q, P;
// and, appended only where they apply (MeasurementProbes, docs/models/entropy.md), the probes of the
// label-noise task: entropy, p_correct, sharpening, kl (entropy_probe.hpp) and bypass
// (bypass_probe.hpp) when task.label_noise > 0; dead_fraction, active_fraction (sparsity_probe.hpp) for
// the MLP logic with ReLU.
#include <string>
#include <utility>
#include <vector>

#include <ATen/ATen.h>

#include <cotdyn/simulation/state_tracking/permutation_task.hpp>
#include <cotdyn/simulation/state_tracking/network.hpp>
#include <cotdyn/simulation/state_tracking/settings.hpp>

namespace cotdyn::simulation {

// The columns of docs/theory.md §3 and §11.2 that measure() returns for every run, in order.
const std::vector<std::string>& measurement_columns();

// The probes a run measures beyond those columns (docs/models/entropy.md).
struct MeasurementProbes {
  double label_noise = 0;  // > 0: the entropy probe against this noisy target, and the bypass probe
  bool sparsity = false;   // the MLP logic with ReLU: the sparsity probe
};
// The rule of the header comment: the probes that apply to a run of these settings.
MeasurementProbes probes_of(const SimulationSettings& settings);
// measurement_columns() followed by the probes' columns, in the order measure() returns them.
std::vector<std::string> measurement_columns(const MeasurementProbes& probes);

EvaluationSet make_evaluation_set(const task::PermutationTask& task, int L, int count, std::uint64_t seed,
                                  const at::Device& device);

// transition[a][s] as an int64 tensor [K, n].
at::Tensor transition_table(const task::PermutationTask& task, const at::Device& device);

// Class means (R, Q, P) of a tensor X[e, s', a, s] [E, n, K, n]: teacher entries s' = pi_a(s),
// off-target images s' = pi_b(s) with b != a, and the rest. Returns [E, 3].
at::Tensor class_means(const at::Tensor& X, const at::Tensor& transition);

// Logit noise around the three-class mean field of the measured classes (docs/theory.md §3): the image
// pi_b(s_cur) has z_mf = R w_b + Q (1 - w_b), a non-image has z_mf = P. Logits z [E, Q, n], action
// weights w [E, Q, K], current states [E, Q], classes [E, 3] (R, Q, P). Returns (var_image,
// var_other), each [E].
std::pair<at::Tensor, at::Tensor> logit_noise(const at::Tensor& z, const at::Tensor& w, const at::Tensor& current_state,
                                              const at::Tensor& classes, const at::Tensor& transition);

// Measurements [E, columns] (float64, CPU) as one row of values per seed, for SimulatedSystem::observe.
std::vector<std::vector<double>> rows_per_seed(const at::Tensor& measured);

// The softmaxes whose saturation the meaningless-run checks watch (simulation/run_checks.hpp).
const std::vector<std::string>& softmax_names();  // "output softmax", "attention softmax"

// All measurement_columns(probes) for every seed: [E, columns], float64 on the CPU. With `saturated`,
// also the fraction of teacher-forced queries whose softmax has its largest probability above 1 - 1e-9,
// [E, softmax_names()] (the attention's: its largest total weight on one action's tokens).
at::Tensor measure(const StateTrackingNetwork& network, const EvaluationSet& evaluation, const at::Tensor& transition,
                   at::Tensor* saturated = nullptr, const MeasurementProbes& probes = {});

}  // namespace cotdyn::simulation
