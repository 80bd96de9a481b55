#pragma once
// Gauss-Hermite quadrature for the standard Gaussian measure Dx (nodes x_i, weights w_i, sum w_i = 1),
// computed by the Golub-Welsch method: the eigen-decomposition (Eigen) of the Jacobi matrix of the
// probabilists' Hermite polynomials.
#include <vector>

namespace cotdyn::meanfield {

struct QuadratureRule {
  std::vector<double> nodes;
  std::vector<double> weights;
};

QuadratureRule gauss_hermite_rule(int points);

}  // namespace cotdyn::meanfield
