#pragma once
// The three order parameters of docs/theory.md §4 and the quantities derived from them.
#include <cotdyn/meanfield/state_tracking/parameters.hpp>

namespace cotdyn::meanfield {

struct OrderParameters {
  double attention_retrieval = 0;  // M = q.k, the correct-lag score
  double teacher_alignment = 0;    // R, overlap of the logic module with the teacher permutations
  double offtarget_overlap = 0;    // Q, overlap with the other actions' permutations (mixed heuristic)
};

// Quantities that follow from (M, R, Q) without any context average.
struct DerivedQuantities {
  double other_overlap;        // P = -(R + (K-1) Q) / (n - K), from the conservation law
  double discrimination;       // A = R - Q
  double heuristic_strength;   // H = Q - P
  double qk_norm;              // N = sqrt(M^2 + sigma2^2), from the conserved N^2 - M^2
  double correct_lag_weight;   // alpha(M) = 1 / (1 + (L-1) exp(-L M / (L-1)))
  double wrong_lag_weight;     // beta = (1 - alpha) / (L - 1)
};

DerivedQuantities derive(const ModelParameters& p, const OrderParameters& x);

// The score M at which alpha = 1/2: M_1/2 = ((L-1)/L) ln(L-1).
double lock_on_retrieval(int L);

}  // namespace cotdyn::meanfield
