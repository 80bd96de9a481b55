#include <cotdyn/meanfield/committee/ode.hpp>

#include <algorithm>
#include <cmath>
#include <utility>

#include <cotdyn/meanfield/committee/gaussian_averages.hpp>

namespace cotdyn::meanfield::committee {

namespace {

// Field weights of the output error: teacher minus student output = sum_b u_b g(field_b), with
// u = (-v_0, ..., -v_{K-1}, v*_0, ..., v*_{M-1}) over the fields (lambda, nu).
Eigen::VectorXd error_weights(const Parameters& p, const State& s) {
  Eigen::VectorXd u(p.K + p.M);
  u << -s.v, p.v_star;
  return u;
}

constexpr double pi = 3.141592653589793238462643383279502884;

// A(i, a) = sum_b u_b I3(i, a, b), one average at a time (gaussian_averages.hpp).
Eigen::MatrixXd error_fields(Activation g, const Eigen::MatrixXd& C, const Eigen::VectorXd& u, int K) {
  const int P = static_cast<int>(C.rows());
  Eigen::MatrixXd A(K, P);
  for (int i = 0; i < K; ++i)
    for (int a = 0; a < P; ++a) {
      A(i, a) = 0;
      for (int b = 0; b < P; ++b) A(i, a) += u(b) * I3(g, sub_covariance<3>(C, {i, a, b}));
    }
  return A;
}

// sum_ab u_a u_b I4(i, k, a, b) + sigma^2 J2(i, k), one average at a time (I4 symmetric in a, b).
double noise_and_error(Activation g, const Eigen::MatrixXd& C, const Eigen::VectorXd& u, int i, int k, double sigma) {
  const int P = static_cast<int>(C.rows());
  double sum = sigma * sigma * J2(g, sub_covariance<2>(C, {i, k}));
  for (int a = 0; a < P; ++a)
    for (int b = a; b < P; ++b) sum += (a == b ? 1.0 : 2.0) * u(a) * u(b) * I4(g, sub_covariance<4>(C, {i, k, a, b}));
  return sum;
}

// The same for erf, with the closed forms of docs/models/committee.md §4.2 summed as vectors. I3(i, a, b)
// = (2/pi) (C_ab (1 + C_ii) - C_ia C_ib) / ((1 + C_ii) sqrt(Lambda3_ib)), where Lambda3_ib = (1 + C_ii)
// (1 + C_bb) - C_ib^2 depends on (i, b) only; with w_b = u_b / sqrt(Lambda3_ib),
// A(i, a) = (2/pi) [(C w)_a - C_ia (C_i. w) / (1 + C_ii)].
Eigen::MatrixXd erf_error_fields(const Eigen::MatrixXd& C, const Eigen::VectorXd& u, int K) {
  const int P = static_cast<int>(C.rows());
  Eigen::MatrixXd A(K, P);
  const Eigen::ArrayXd one_plus_diagonal = 1.0 + C.diagonal().array();
  for (int i = 0; i < K; ++i) {
    const Eigen::ArrayXd lambda3 = one_plus_diagonal(i) * one_plus_diagonal - C.row(i).transpose().array().square();
    const Eigen::VectorXd w = (u.array() / lambda3.sqrt()).matrix();
    const double cw = C.row(i).dot(w);
    A.row(i) = (2 / pi) * ((C * w).transpose() - C.row(i) * (cw / one_plus_diagonal(i)));
  }
  return A;
}

// For the pair (i, k), with alpha = C_i., beta = C_k., c11 = 1 + C_ii, c22 = 1 + C_kk, c12 = C_ik and
// Lambda4 = c11 c22 - c12^2, §4.2's Lambda0 for the fields (a, b) is the entry L_ab of
// L = Lambda4 C - c11 beta beta^T - c22 alpha alpha^T + c12 (alpha beta^T + beta alpha^T), and Lambda1,
// Lambda2 are L_aa + Lambda4, L_bb + Lambda4 (this holds for a = b too). So I4(i, k, a, b) =
// (4/pi^2) Lambda4^(-1/2) arcsin(L_ab / sqrt((L_aa + Lambda4)(L_bb + Lambda4))), and J2(i, k) =
// (2/pi) Lambda4^(-1/2).
double erf_noise_and_error(const Eigen::MatrixXd& C, const Eigen::VectorXd& u, int i, int k, double sigma) {
  const int P = static_cast<int>(C.rows());
  const double c11 = 1 + C(i, i), c22 = 1 + C(k, k), c12 = C(i, k);
  const double lambda4 = c11 * c22 - c12 * c12;
  auto L = [&](int a, int b) {
    const double alpha_a = C(i, a), alpha_b = C(i, b), beta_a = C(k, a), beta_b = C(k, b);
    return lambda4 * C(a, b) - c11 * beta_a * beta_b - c22 * alpha_a * alpha_b + c12 * (alpha_a * beta_b + beta_a * alpha_b);
  };
  Eigen::VectorXd d(P);  // (L_aa + Lambda4)^(-1/2)
  for (int a = 0; a < P; ++a) d(a) = 1 / std::sqrt(L(a, a) + lambda4);
  double sum = 0;  // sum_ab u_a u_b arcsin(...), the a < b terms twice
  for (int b = 0; b < P; ++b) {
    double below = 0;
    for (int a = 0; a < b; ++a) below += u(a) * std::asin(std::clamp(L(a, b) * d(a) * d(b), -1.0, 1.0));
    sum += u(b) * (2 * below + u(b) * std::asin(std::clamp(L(b, b) * d(b) * d(b), -1.0, 1.0)));
  }
  const double inverse_root = 1 / std::sqrt(lambda4);
  return (4 / (pi * pi)) * inverse_root * sum + sigma * sigma * (2 / pi) * inverse_root;
}

}  // namespace

Ode::Ode(Parameters parameters, Eigen::MatrixXd T) : parameters_(std::move(parameters)), T_(std::move(T)) {
  validate(parameters_);
  const int K = parameters_.K, M = parameters_.M;
  validate(State{Eigen::MatrixXd::Zero(K, K), Eigen::MatrixXd::Zero(K, M), T_, Eigen::VectorXd::Zero(K)}, parameters_);
}

void Ode::operator()(const std::vector<double>& x, std::vector<double>& dxdt, double /*t*/) const {
  // docs/models/committee.md §4. With u the error weights (teacher minus student output =
  // sum_b u_b g(b)) and b running over all K + M fields:
  //   dR_in = eta v_i sum_b u_b I3(i,n,b) - kappa R_in
  //   dQ_ik = eta [v_i sum_b u_b I3(i,k,b) + v_k sum_b u_b I3(k,i,b)]
  //         + (eta^2 / B) v_i v_k [sum_ab u_a u_b I4(i,k,a,b) + sigma^2 J2(i,k)] - 2 kappa Q_ik
  //   dv_i  = eta_v sum_b u_b I2(i,b) - kappa v_i   (only when eta_v > 0)
  // with B the inputs per step (mini-batch: only the square of the step averages over them).
  // Each distinct average is evaluated once: I4 is symmetric in (i,k) and in (a,b).
  const Parameters& p = parameters_;
  const State s = unpack(x, p.K, T_);
  const int K = p.K, P = p.K + p.M;
  const Eigen::MatrixXd C = covariance(s);
  const Eigen::VectorXd u = error_weights(p, s);
  const Activation g = p.activation;

  const Eigen::MatrixXd A = g == Activation::erf ? erf_error_fields(C, u, K) : error_fields(g, C, u, K);
  State d{Eigen::MatrixXd(K, K), p.eta * s.v.asDiagonal() * A.rightCols(p.M) - p.kappa * s.R,
          Eigen::MatrixXd::Zero(p.M, p.M), Eigen::VectorXd::Zero(K)};
  for (int i = 0; i < K; ++i)
    for (int k = i; k < K; ++k) {
      const double second_order =
          g == Activation::erf ? erf_noise_and_error(C, u, i, k, p.sigma) : noise_and_error(g, C, u, i, k, p.sigma);
      d.Q(i, k) = d.Q(k, i) = p.eta * (s.v(i) * A(i, k) + s.v(k) * A(k, i)) +
                              p.eta * p.eta / p.batch * s.v(i) * s.v(k) * second_order - 2 * p.kappa * s.Q(i, k);
    }
  if (p.eta_v > 0)
    for (int i = 0; i < K; ++i) {
      double error = 0;
      for (int b = 0; b < P; ++b) error += u(b) * I2(g, sub_covariance<2>(C, {i, b}));
      d.v(i) = p.eta_v * error - p.kappa * s.v(i);
    }
  dxdt = pack(d);
}

State derivative(const Ode& ode, const State& state) {
  std::vector<double> dx;
  ode(pack(state), dx, 0.0);
  State d = unpack(dx, ode.parameters().K, ode.T());
  d.T.setZero();
  return d;
}

double generalisation_error(const Parameters& p, const State& s) {
  const Eigen::MatrixXd C = covariance(s);
  const Eigen::VectorXd u = error_weights(p, s);
  double sum = 0;
  for (int a = 0; a < C.rows(); ++a)
    for (int b = a; b < C.rows(); ++b)
      sum += (a == b ? 1.0 : 2.0) * u(a) * u(b) * I2(p.activation, sub_covariance<2>(C, {a, b}));
  return 0.5 * sum;
}

}  // namespace cotdyn::meanfield::committee
