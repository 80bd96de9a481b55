#include <cotdyn/meanfield/committee/ode.hpp>

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
  //         + eta^2 v_i v_k [sum_ab u_a u_b I4(i,k,a,b) + sigma^2 J2(i,k)] - 2 kappa Q_ik
  //   dv_i  = eta_v sum_b u_b I2(i,b) - kappa v_i   (only when eta_v > 0)
  // Each distinct average is evaluated once: I4 is symmetric in (i,k) and in (a,b).
  const Parameters& p = parameters_;
  const State s = unpack(x, p.K, T_);
  const int K = p.K, P = p.K + p.M;
  const Eigen::MatrixXd C = covariance(s);
  const Eigen::VectorXd u = error_weights(p, s);
  const Activation g = p.activation;

  Eigen::MatrixXd A(K, P);  // A(i, a) = sum_b u_b I3(i, a, b)
  for (int i = 0; i < K; ++i)
    for (int a = 0; a < P; ++a) {
      A(i, a) = 0;
      for (int b = 0; b < P; ++b) A(i, a) += u(b) * I3(g, sub_covariance<3>(C, {i, a, b}));
    }

  State d{Eigen::MatrixXd(K, K), p.eta * s.v.asDiagonal() * A.rightCols(p.M) - p.kappa * s.R,
          Eigen::MatrixXd::Zero(p.M, p.M), Eigen::VectorXd::Zero(K)};
  for (int i = 0; i < K; ++i)
    for (int k = i; k < K; ++k) {
      double noise_and_error = p.sigma * p.sigma * J2(g, sub_covariance<2>(C, {i, k}));
      for (int a = 0; a < P; ++a)
        for (int b = a; b < P; ++b)
          noise_and_error += (a == b ? 1.0 : 2.0) * u(a) * u(b) * I4(g, sub_covariance<4>(C, {i, k, a, b}));
      d.Q(i, k) = d.Q(k, i) = p.eta * (s.v(i) * A(i, k) + s.v(k) * A(k, i)) +
                              p.eta * p.eta * s.v(i) * s.v(k) * noise_and_error - 2 * p.kappa * s.Q(i, k);
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
