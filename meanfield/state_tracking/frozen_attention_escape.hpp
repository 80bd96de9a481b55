#pragma once
// The lock-on estimate of docs/theory.md §6.1 for a slow attention: the logic module learns with the
// attention frozen on the plateau (alpha = 1/L), and the attention escapes once its accumulated force
// reaches the lock-on threshold. It contains the closed form of §6 (its early-time expansion) and the
// saturated regime (A at the heuristic optimum A* before escape) as its two limits.
#include <cotdyn/meanfield/state_tracking/parameters.hpp>

namespace cotdyn::meanfield {

struct FrozenAttentionEscape {
  double lock_on;         // t at which 2 eta_A int_0^t kappa = asinh(M_1/2 / sigma2), alpha frozen at 1/L
  double force;           // kappa there
  double discrimination;  // A = R - Q there
  // kappa there over kappa at half that time: near 1 in the saturated regime, near 2 in the early-time
  // regime of §6, where kappa grows linearly.
  double force_growth;
};

// Integrates the ODE's logic equations with M held at 0 (Dormand-Prince, dense output), carrying the
// integral of the attention force. All fields NaN when the threshold is not reached by t = 1e7.
FrozenAttentionEscape frozen_attention_escape(const ModelParameters& parameters, const Tolerances& tolerances = {});

}  // namespace cotdyn::meanfield
