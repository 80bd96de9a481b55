#pragma once
// The soft committee machine's parameters and order parameters (docs/models/committee.md §1-§3),
// and the flat vector the ODE integrates.
#include <cstddef>
#include <string>
#include <vector>

#include <Eigen/Dense>

namespace cotdyn::meanfield::committee {

enum class Activation { erf, linear };  // erf: g(x) = erf(x/sqrt(2)); linear: g(x) = x

std::string to_string(Activation activation);
Activation activation_from_string(const std::string& name);  // "erf" or "linear"; throws otherwise

struct Parameters {
  int M = 2;                                         // teacher hidden units
  int K = 2;                                         // student hidden units
  Activation activation = Activation::erf;
  double eta = 0.5;                                  // first-layer learning rate
  double eta_v = 0.0;                                // second-layer learning rate (0: v fixed)
  double sigma = 0.0;                                // output-noise standard deviation
  double kappa = 0.0;                                // weight decay
  int batch = 1;                                     // inputs per SGD step, gradients averaged (§4.1)
  Eigen::VectorXd v_star = Eigen::VectorXd::Ones(2);  // teacher second layer (M entries)
};

// Order parameters: Q = w_i.w_k/N (K x K), R = w_i.w*_n/N (K x M), T = w*_n.w*_m/N (M x M,
// constant in time), v = student second layer (K).
struct State {
  Eigen::MatrixXd Q;
  Eigen::MatrixXd R;
  Eigen::MatrixXd T;
  Eigen::VectorXd v;
};

// Covariance of the local fields (lambda_0..lambda_{K-1}, nu_0..nu_{M-1}): [[Q, R], [R^T, T]].
Eigen::MatrixXd covariance(const State& state);

// Flat layout: Q's upper triangle row by row (i <= k), then R row by row, then v.
std::size_t packed_size(int K, int M);
std::vector<double> pack(const State& state);
State unpack(const std::vector<double>& x, int K, const Eigen::MatrixXd& T);  // M = T.rows()

// Each throws std::invalid_argument naming the field, its value and what is allowed.
void validate(const Parameters& parameters);
void validate(const State& state, const Parameters& parameters);  // shapes, symmetry, C >= 0

}  // namespace cotdyn::meanfield::committee
