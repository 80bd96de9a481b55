#pragma once
// The columns of measurement_columns() (docs/theory.md §3) measured on the general model of the
// [ablation] switches, so that its runs compare with the ODE and with the solvable model:
//  * M, N: the beacon parts of query and key (M = their score at the retrieval lag L);
//  * alpha: the measured attention weight on the correct key (action a_t for the query predicting
//    s_t), averaged over the teacher-forced queries of the evaluation set;
//  * R, Q, P: class means of the probed logit tensor T (GeneralTransformerModel::logit_tensor);
//  * R_c, Q_c, P_c: class means of the dual-basis coefficients; NaN for the MLP logic and for d < n;
//  * loss, step_acc: teacher-forced; rollout_acc, final_acc: the model's own predicted states fed back
//    as tokens (they enter the keys with causal attention and the query with content_qk);
//  * var_image, var_other: logit noise around the three-class mean field of the measured R, Q, P, with
//    the measured attention weight on each action as w.
// All switches off, every column equals measure() of the solvable model (tested to 1e-9).
#include <ATen/ATen.h>

#include <cotdyn/simulation/state_tracking/general_transformer_model.hpp>
#include <cotdyn/simulation/state_tracking/measurements.hpp>

namespace cotdyn::simulation {

// All measurement_columns() for every seed: [E, columns], float64 on the CPU.
at::Tensor measure_general(const GeneralTransformerModel& model, const EvaluationSet& evaluation,
                           const at::Tensor& transition);

}  // namespace cotdyn::simulation
