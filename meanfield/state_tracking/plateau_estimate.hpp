#pragma once
// The closed-form lock-on (plateau) estimate of docs/theory.md §6, from the early-time expansion
// asinh(M / sigma2) ~ eta_A eta_W (K-1) t^2 / (n K^2 L^2).
#include <cotdyn/meanfield/state_tracking/parameters.hpp>

namespace cotdyn::meanfield {

// t_1/2 ~ K L sqrt(n asinh(M_1/2 / sigma2) / ((K-1) eta_A eta_W)), divided by 1 - eps with label
// noise (docs/theory.md §16).
double lock_on_time_estimate(const ModelParameters& p);

// The initial slopes of docs/theory.md §6 (exact at t = 0, where alpha = 1/L and all logits are equal),
// times 1 - eps with label noise (§16).
double initial_alignment_slope(const ModelParameters& p);  // dR/dt at t = 0
double initial_offtarget_slope(const ModelParameters& p);  // dQ/dt at t = 0

}  // namespace cotdyn::meanfield
