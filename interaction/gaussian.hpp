#pragma once
// Exact signal for standard Gaussian tokens at initialisation (w = 0, a = 1), INTERACTION.md "Closed forms":
//   Delta_r(T) = (v/T)^r E[ sigma^{(r)}(b + Z) ],  Z ~ N(0, v^2/T)          (Stein's lemma)
//              = T^{-r/2} E[ sigma(b + kappa G) He_r(G) ],  kappa = v/sqrt(T), G ~ N(0,1)   (Hermite form)
// Integrals by Boost.Math Gauss-Kronrod quadrature on infinite intervals.
#include <cotdyn/interaction/activation.hpp>

namespace cotdyn::interaction {

// The value used in the tables: for smooth activations the Stein form (sigma^{(r)} from autodiff at the nodes; no
// cancellation, so it stays accurate for large r); for ReLU the closed form below. T = r gives 0 (degenerate cell).
double gaussian_delta(Activation a, double b, double v, int r, int T);

// The Hermite form by quadrature, split at the ReLU kink -b/kappa: valid for every activation, kinks included;
// it cancels about r log10(1/kappa) digits, so keep it for r <= 4 and as an independent cross-check.
double gaussian_delta_hermite(Activation a, double b, double v, int r, int T);

// ReLU closed form, any b (kappa = v/sqrt(T), beta = b/kappa):
//   r = 1: T^{-1/2} kappa Phi(beta);   r >= 2: T^{-r/2} kappa phi(beta) He_{r-2}(-beta).
// At b = 0: Delta_1 = v/(2T), Delta_r = v T^{-(r+1)/2} He_{r-2}(0)/sqrt(2 pi) (INTERACTION.md).
double relu_gaussian_delta(double b, double v, int r, int T);

// Probabilists' Hermite polynomial He_n(x), through Boost.Math's physicists' hermite.
double hermite_he(int n, double x);

}  // namespace cotdyn::interaction
