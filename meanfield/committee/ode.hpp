#pragma once
// The N -> infinity ODE of the order parameters under online SGD (docs/models/committee.md §4),
// as an Odeint system on the packed state of parameters.hpp, and the generalisation error (§3).
#include <cstddef>
#include <vector>

#include <Eigen/Dense>

#include <cotdyn/meanfield/committee/parameters.hpp>

namespace cotdyn::meanfield::committee {

class Ode {
 public:
  // Validates the parameters and T (M x M, symmetric positive semi-definite).
  Ode(Parameters parameters, Eigen::MatrixXd T);

  // dxdt = d(packed state)/dt at the packed state x; t does not enter (autonomous).
  void operator()(const std::vector<double>& x, std::vector<double>& dxdt, double t) const;

  const Parameters& parameters() const { return parameters_; }
  const Eigen::MatrixXd& T() const { return T_; }
  std::size_t size() const { return packed_size(parameters_.K, parameters_.M); }

 private:
  Parameters parameters_;
  Eigen::MatrixXd T_;
};

// The derivative of the state (same shapes; dT = 0).
State derivative(const Ode& ode, const State& state);

// eps_g = 1/2 E[(student output - noise-free teacher output)^2] (docs/models/committee.md §3).
double generalisation_error(const Parameters& parameters, const State& state);

}  // namespace cotdyn::meanfield::committee
