#pragma once
// General Boolean targets of r relevant tokens, decomposed level by level into Walsh components
// (INTERACTION.md "Consequences"): for a relevant position j,
//   G_j = sum_{U containing j} yhat(U) (1 - |U|/T) Delta_|U|  -  sum_{U not containing j, U nonempty} yhat(U) (|U|/T) Delta_|U|,
// with Delta_k the exact Rademacher signal (rademacher_exact). An irrelevant position sees only the second sum.
#include <vector>

#include <cotdyn/interaction/activation.hpp>

namespace cotdyn::interaction {

// A truth table over the r relevant tokens x_1..x_r in {-1,+1}: values[mask], where bit i of mask set means
// x_{i+1} = +1. Values are real numbers (e.g. +-1 or 0/1).
struct TruthTable {
  int r = 0;
  std::vector<double> values;  // size 2^r
};

TruthTable parity_table(int r);    // prod_i x_i (+-1)
TruthTable and_table(int r);       // 1 when every x_i = +1, else 0 (0/1 output: its level-1 weight is 2^{-r} each)
TruthTable majority_table(int r);  // sign(sum_i x_i) (+-1); a tie (even r) gives 0

// Walsh coefficients yhat(U) = 2^{-r} sum_x y(x) chi_U(x), indexed by the subset mask U.
std::vector<double> walsh_coefficients(const TruthTable& table);

struct LevelContribution {
  int level = 0;       // |U|
  double weight = 0;   // sum_{|U| = level} yhat(U)^2
  double delta = 0;    // Delta_level(T) (0 when level = T)
  double g_in = 0;     // this level's part of G_j, averaged over the relevant positions j
  double g_out = 0;    // this level's part of G_j for an irrelevant position j
};

struct BooleanDecomposition {
  std::vector<LevelContribution> levels;  // levels 1..r (the constant part gives no gradient)
  std::vector<double> g_relevant;         // G_j for each relevant position j = 1..r
  double g_in = 0;                        // mean of g_relevant
  double g_out = 0;                       // G_j for an irrelevant position (0 when T = r)
};

// Throws std::invalid_argument for a table whose size is not 2^r, r < 1, or r > T.
BooleanDecomposition decompose_boolean_target(const TruthTable& table, Activation a, double b, double v, int T);

}  // namespace cotdyn::interaction
