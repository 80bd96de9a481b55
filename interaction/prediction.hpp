#pragma once
// The prediction table of `cotdyn interaction`: one row per (activation, b, r, T) cell of the settings,
// with every Torch-free column filled (exact, Taylor, Gaussian). The measured columns are filled by
// measure_rows (measure.hpp, LibTorch) or stay NaN. The CLI writes the CSV; nothing here touches files.
#include <limits>
#include <string>
#include <vector>

#include <cotdyn/interaction/activation.hpp>
#include <cotdyn/interaction/settings.hpp>

namespace cotdyn::interaction {

struct InteractionRow {
  // ---- CSV columns of interaction.csv, in this order (NaN = empty cell):
  // activation,b,v,tokens,r,T,delta_exact,delta_taylor,delta_gauss,delta_measured,stderr,ratio
  std::string activation;  // activation   config name (activation.hpp)
  double b = 0;            // b            bias
  double v = 1;            // v            value scale used in this cell (sqrt(T) under the "sqrt_T" rule)
  std::string tokens;      // tokens       "rademacher" | "gaussian"
  int r = 1;               // r            order of the parity target
  int T = 1;               // T            sequence length
  double delta_exact = 0;  // delta_exact  exact Delta_r for the row's token law: Rademacher finite sum, or the
                           //              Gaussian form (= delta_gauss) when tokens = "gaussian"
  double delta_taylor = 0; // delta_taylor asymptotic (v/T)^r [sigma^(r)(b) + v^2 sigma^(r+2)(b)/(2T)]; NaN for
                           //              ReLU at b = 0 and under the sqrt_T rule (v = O(1) is its hypothesis)
  double delta_gauss = 0;  // delta_gauss  exact Gaussian-token value (always computed, for comparison)
  double delta_measured = std::numeric_limits<double>::quiet_NaN();  // delta_measured  Monte Carlo (LibTorch)
  double std_error = std::numeric_limits<double>::quiet_NaN();       // stderr  standard error of delta_measured
  double ratio = std::numeric_limits<double>::quiet_NaN();  // ratio  delta_measured / delta_exact; NaN when
                                                            //        |delta_exact| < 1e-14 or not measured
  // ---- Not CSV columns: details for reports and tests.
  Activation activation_id = Activation::identity;
  TokenLaw token_law = TokenLaw::rademacher;
  double g_in = 0, g_out = 0, grad_norm = 0;  // from delta_exact: (1 - r/T) D, -(r/T) D, |D| sqrt(r (T-r)/T)
  int precision_digits = 15;  // digits used by the Rademacher exact sum (15 = double; 50/100/200 = multiprecision)
  bool t_equals_r = false;    // degenerate cell T = r: all deltas and the gradient are reported as 0
};

// Ratios below this |delta_exact| are left empty (INTERACTION.md).
inline constexpr double ratio_floor = 1e-14;

// Validates the settings, then one row per activation x b x r x T (in that nesting order).
std::vector<InteractionRow> predict_rows(const InteractionSettings& settings);

// One cell, used by predict_rows and the tests.
InteractionRow predict_cell(Activation a, double b, const ValueScale& v, TokenLaw tokens, int r, int T);

}  // namespace cotdyn::interaction
