#pragma once
// Exact selectivity signal for Rademacher tokens at initialisation (w = 0, a = 1), INTERACTION.md "Closed forms":
//   Delta_r(T) = (v / T) (h_{r-1} - h_{r+1}),   h_u = E[ sigma'(b + z) x_1 ... x_u ],
// a finite sum of O(r T) terms. h_u is a u-th finite difference of sigma' with step 2v/T, so it cancels about
// r log10(2T/v) digits: double is kept where INTERACTION.md observed it enough (r <= 4, T <= 1024 at v = 1,
// generalised to r log10(2T/v) <= 4 log10(2048)); beyond that the sum runs in Boost.Multiprecision
// cpp_bin_float with at least 20 + r log10(2T/v) significant digits (tiers 50, 100, 200).
#include <cotdyn/interaction/activation.hpp>

namespace cotdyn::interaction {

struct ExactSignal {
  double delta = 0;        // Delta_r = G_in - G_out
  double g_in = 0;         // G_j for j in S:      (1 - r/T) Delta_r
  double g_out = 0;        // G_j for j not in S:  -(r/T) Delta_r
  double grad_norm = 0;    // ||grad_w|| = |Delta_r| sqrt(r (T - r) / T)
  int precision_digits = 0;  // decimal digits of the arithmetic used: 15 (double), 50, 100 or 200
  bool t_equals_r = false;   // T = r: every position is relevant, the gradient vanishes exactly; all values are 0
};

// The precision (decimal digits) rademacher_exact uses for (r, T, v); throws std::invalid_argument
// (naming interaction.r) when more than 200 digits would be needed.
int exact_sum_precision_digits(int r, int T, double v);

// Throws std::invalid_argument for r < 1 (interaction.r), T < 1 (interaction.T), r > T (interaction.r),
// v <= 0 (interaction.v). ReLU uses ReLU'(0) = 0 where b + v k / T = 0 is reachable.
ExactSignal rademacher_exact(Activation a, double b, double v, int r, int T);

}  // namespace cotdyn::interaction
