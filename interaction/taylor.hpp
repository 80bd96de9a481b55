#pragma once
// Asymptotic (large-T, v = O(1)) form of the signal, INTERACTION.md "Closed forms", a = 1:
//   Delta_r(T) ~ (v/T)^r [ sigma^{(r)}(b) + v^2 sigma^{(r+2)}(b) / (2T) ],
// with sigma^{(k)}(b) from Boost.Math autodiff (activation_derivatives). The same two terms hold for Rademacher
// and Gaussian tokens (z has variance v^2/T either way).
#include <cotdyn/interaction/activation.hpp>

namespace cotdyn::interaction {

// NaN where the expansion does not exist: ReLU with its kink at b (b = 0). Requires 1 <= r <= 18.
double taylor_delta(Activation a, double b, double v, int r, int T);

}  // namespace cotdyn::interaction
