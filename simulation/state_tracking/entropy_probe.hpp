#pragma once
// The entropy probe of the label-noise task (docs/theory.md §16, docs/models/entropy.md): per
// teacher-forced evaluation query with model distribution q and noisy target law p (p_c = 1 - eps +
// eps/n on the correct state, eps/n elsewhere),
//   H(p) - H(q) = KL(q||p) + sum_i (q_i - p_i) log p_i,
// and for this channel the second term is exactly (q_c - p_c) log(n p_c / eps), the "sharpening" term
// (positive when the model puts more mass on the correct state than the target does). The columns are
// the means over the queries of H(q), q_c, the sharpening term and KL(q||p), so that
// H_target - entropy = kl + sharpening to rounding.
#include <string>
#include <vector>

#include <ATen/ATen.h>

namespace cotdyn::simulation {

// "entropy", "p_correct", "sharpening", "kl": the probe's columns, in the order entropy_probe returns them.
const std::vector<std::string>& entropy_probe_columns();

// Logits z [E, Q, n] and correct states [E, Q] (int64), label noise eps in (0, 1): [E, 4], the columns
// above per seed (float64). Throws std::invalid_argument for eps outside (0, 1).
at::Tensor entropy_probe(const at::Tensor& logits, const at::Tensor& correct, double label_noise);

}  // namespace cotdyn::simulation
