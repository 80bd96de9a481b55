#pragma once
// Gaussian averages of the activation over zero-mean jointly Gaussian fields with covariance C
// (docs/models/committee.md §4): argument a of an average is the a-th field, entry C(a, b) their
// covariance. Degenerate covariances (repeated fields) are allowed.
//   I2(1,2) = E[g(x1) g(x2)],            I3(1,2,3) = E[g'(x1) x2 g(x3)],
//   I4(1,2,3,4) = E[g'(x1) g'(x2) g(x3) g(x4)],   J2(1,2) = E[g'(x1) g'(x2)].
#include <array>

#include <Eigen/Dense>

#include <cotdyn/meanfield/committee/parameters.hpp>

namespace cotdyn::meanfield::committee {

double activation(Activation g, double x);             // g(x)
double activation_derivative(Activation g, double x);  // g'(x)

double I2(Activation g, const Eigen::Matrix2d& C);
double I3(Activation g, const Eigen::Matrix3d& C);
double I4(Activation g, const Eigen::Matrix4d& C);
double J2(Activation g, const Eigen::Matrix2d& C);

// The covariance of the fields index[0], index[1], ... (indices may repeat).
template <int n>
Eigen::Matrix<double, n, n> sub_covariance(const Eigen::MatrixXd& C, const std::array<int, n>& index) {
  Eigen::Matrix<double, n, n> S;
  for (int a = 0; a < n; ++a)
    for (int b = 0; b < n; ++b) S(a, b) = C(index[a], index[b]);
  return S;
}

}  // namespace cotdyn::meanfield::committee
