#include <cotdyn/meanfield/state_tracking/gauss_hermite.hpp>

#include <cmath>
#include <stdexcept>

#include <Eigen/Eigenvalues>

namespace cotdyn::meanfield {

namespace {
QuadratureRule compute_rule(int points) {
  // He_{k+1}(x) = x He_k(x) - k He_{k-1}(x): zero diagonal, off-diagonal sqrt(k).
  Eigen::MatrixXd jacobi = Eigen::MatrixXd::Zero(points, points);
  for (int k = 1; k < points; ++k) jacobi(k, k - 1) = jacobi(k - 1, k) = std::sqrt(static_cast<double>(k));
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(jacobi);
  QuadratureRule rule;
  for (int i = 0; i < points; ++i) {
    rule.nodes.push_back(solver.eigenvalues()[i]);
    const double first = solver.eigenvectors()(0, i);  // the measure has total mass 1
    rule.weights.push_back(first * first);
  }
  return rule;
}
}  // namespace

QuadratureRule gauss_hermite_rule(int points) {
  if (points < 1) throw std::invalid_argument("Gauss-Hermite rule needs at least one point");
  // The last rule computed on this thread: every accuracy model of a sweep uses the same one.
  thread_local QuadratureRule last;
  thread_local int last_points = 0;
  if (last_points != points) {
    last = compute_rule(points);
    last_points = points;
  }
  return last;
}

}  // namespace cotdyn::meanfield
