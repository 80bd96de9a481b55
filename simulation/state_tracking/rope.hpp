#pragma once
// Rotary position embeddings of docs/theory.md §2.2, in one place for every state-tracking network.
// A plane m of a vector at position p is rotated by p theta_m. The solvable model's schedule
// ("period") has theta_m = 2 pi f_m / L with f_m = 1 + (m mod (L-1)), the angle reduced modulo L
// first so that the tables are exactly periodic; the general model may use the transformer's
// "geometric" schedule theta_m = base^(-2m/d) instead (docs/theory.md §11.1). Tables are computed in
// float64 and then cast.
#include <utility>

#include <ATen/ATen.h>

#include <cotdyn/simulation/state_tracking/ablation_settings.hpp>

namespace cotdyn::simulation {

// cos and sin of p theta_m of the period schedule for the L positions first .. first + L - 1,
// [L, d/2]. With first = 0 the rows are the residues r = 0 .. L-1 of a lag.
std::pair<at::Tensor, at::Tensor> rope_tables(int L, int d, int first_position, const at::TensorOptions& options);

// Rotates x [E, d] plane by plane to every position of the tables (cos, sin [P, d/2]): [E, P, d].
at::Tensor rotate(const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin);

// Offsets i - j between a query position i (L+1 .. 2L) and a key position j (1 .. 2L): 1-L .. 2L-1.
int first_offset(int L);
int offset_count(int L);

// cos and sin of (i - j) theta_m for every offset, [d/2, offset_count(L)], under the schedule of
// ablation.rope (and ablation.rope_base): RoPE scores depend on the offset only.
std::pair<at::Tensor, at::Tensor> offset_tables(int L, int d, const AblationSettings& ablation,
                                                const at::TensorOptions& options);

// RoPE scores of queries q [E, Tq, d] on keys k [E, Tk, d] at every offset of the tables, [E, Tq, Tk,
// offsets]: (Rot_i q) . (Rot_j k) = q . Rot(-(i-j) theta) k = sum_m cos((i-j) theta_m) a_m +
// sin((i-j) theta_m) b_m, with a_m = q_2m k_2m + q_2m+1 k_2m+1 and b_m = q_2m k_2m+1 - q_2m+1 k_2m.
at::Tensor score_table(const at::Tensor& q, const at::Tensor& k, const at::Tensor& cos, const at::Tensor& sin);

}  // namespace cotdyn::simulation
