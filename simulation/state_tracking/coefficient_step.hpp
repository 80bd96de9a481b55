#pragma once
// One seed's SGD step of the coefficient storage on the CPU, in plain loops (docs/theory.md §2.4):
// the attention by residue, the 36 queries' logits, softmax and gradients, the explicit W-space step
// on C, and the back-propagation to q and k. Torch-free: raw row-major arrays in, updated in place.
//
// The logits come from the partly contracted coefficients P = C x_1 G_u x_2 G_e, stored [sigma, a', s'']
// and kept in step with C: a query's update of C is rank one at column s_cur, so its update of P is
// the rank-one -rate (G_u err) (x) (G_e w) at row s_cur. The rows of the logit tensor the step needs,
// T[., ., s] = sum_sigma G_u[sigma, s] P[sigma], are then one pass over P per current state, instead of
// the three products that recompute T from C (docs/theory.md §2.4, "The step's cost").
#include <cstdint>

namespace cotdyn::simulation {

// n states, K actions, L positions (the residues of the attention), d/2 rotation planes, B sequences.
struct CoefficientStepShape {
  std::int64_t n, K, L, half, B;
};

// One seed's weights, updated in place, and its Gram matrices.
template <typename Real>
struct CoefficientSeed {
  Real* q;                   // [d]
  Real* k;                   // [d]
  Real* C;                   // [n, K, n] by current state: C[s][a, s'] holds C[s', a, s]
  Real* P;                   // [n, K, n]: P[sigma, a', s''] = sum G_u[s'', s'] C[s', a, sigma] G_e[a, a']
  const Real* state_gram;    // G_u = U U^T [n, n]
  const Real* action_gram;   // G_e = E E^T [K, K]
  const Real* residue_cos;   // cos(r theta_m) [d/2, L]
  const Real* residue_sin;   // sin(r theta_m) [d/2, L]
  const Real* lag_cos;       // the same tables by residue: cos(r theta_m) [L, d/2]
  const Real* lag_sin;       // sin(r theta_m) [L, d/2]
};

// The seed's minibatch: actions [B, L], states [B, L + 1], targets [B, L].
struct CoefficientBatch {
  const std::int64_t* actions;
  const std::int64_t* states;
  const std::int64_t* targets;
};

// The step at learning rates eta_W/d on W (so on C and P) and eta_A/d on q and k; returns the mean loss
// over the B L queries before the step. Every query sees the weights before the step.
double coefficient_sgd_step(const CoefficientStepShape& shape, const CoefficientSeed<double>& seed,
                            const CoefficientBatch& batch, double eta_W_over_d, double eta_A_over_d);
double coefficient_sgd_step(const CoefficientStepShape& shape, const CoefficientSeed<float>& seed,
                            const CoefficientBatch& batch, double eta_W_over_d, double eta_A_over_d);

}  // namespace cotdyn::simulation
