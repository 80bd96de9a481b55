#pragma once
// The CoT-compression table (INTERACTION.md "Consequences"): a parity tree whose explicit CoT step is an
// order-2 target; compressing k tree levels into one unsupervised latent step makes the next supervised target a
// parity of order r = 2^{k+1}. Per k: the exact signal Delta_r (Rademacher, multiprecision when needed), the
// Taylor form, and the single-sample sample complexity N = Var[y df/dw_j] / G_j^2 for a relevant j.
#include <vector>

#include <cotdyn/interaction/activation.hpp>

namespace cotdyn::interaction {

struct CompressionRow {
  int levels_compressed = 0;       // k
  int order = 2;                   // r = 2^{k+1}
  double delta_exact = 0;          // exact Rademacher Delta_r
  double delta_taylor = 0;         // (v/T)^r [sigma^(r)(b) + v^2 sigma^(r+2)(b)/(2T)]
  double g_in = 0;                 // G_j, j in S: (1 - r/T) Delta_r
  double sample_complexity = 0;    // N = (E[(y df/dw_j)^2] - G_j^2) / G_j^2, exact for Rademacher tokens
  double sample_complexity_scaling = 0;  // the rough law (sigma'(b)/sigma^(r)(b))^2 (T/v)^{2r-2}
  int precision_digits = 15;       // digits used by the exact sum
};

// Defaults = the INTERACTION.md table: sigma = exp, b = 0, v = 1, T = 36, k = 0..3 (r = 2, 4, 8, 16).
// Throws std::invalid_argument (naming interaction.T) when T < 2^{max_levels+1}, or max_levels outside 0..3.
std::vector<CompressionRow> cot_compression_table(Activation a = Activation::exp, double b = 0.0, double v = 1.0,
                                                  int T = 36, int max_levels = 3);

// E[(df/dw_j)^2] at w = 0 for Rademacher tokens (the same for every j; y^2 = 1 for a parity target).
double rademacher_gradient_second_moment(Activation a, double b, double v, int T);

}  // namespace cotdyn::interaction
