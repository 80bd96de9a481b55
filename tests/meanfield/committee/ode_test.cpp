// The ODE right-hand side: against independent restatements of docs/models/committee.md §4
// (term by term for erf, the polynomial ODE for linear), the weight-decay and noise terms,
// fixed points and invariant subspaces, and the generalisation error.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include <cotdyn/meanfield/committee/gaussian_averages.hpp>
#include <cotdyn/meanfield/committee/ode.hpp>

using namespace cotdyn::meanfield::committee;

namespace {

// K = 3 students, M = 2 teachers, a generic valid state (T not the identity).
State example_state() {
  State s{Eigen::MatrixXd(3, 3), Eigen::MatrixXd(3, 2), Eigen::MatrixXd(2, 2), Eigen::VectorXd(3)};
  s.Q << 0.5, 0.1, 0.2, 0.1, 0.3, 0.05, 0.2, 0.05, 0.4;
  s.R << 0.1, 0.02, 0.01, 0.05, 0.03, 0.04;
  s.T << 1.0, 0.3, 0.3, 0.8;
  s.v << 0.9, 0.7, -0.2;
  return s;
}

Parameters all_terms(Activation g) {
  Parameters p;
  p.K = 3;
  p.activation = g;
  p.eta = 0.4;
  p.eta_v = 0.3;
  p.sigma = 0.2;
  p.kappa = 0.05;
  p.v_star << 1.0, 0.6;
  return p;
}

// §4 written out with separate sums over teacher (n, m) and student (j, l) units, for every
// (i, k), not only i <= k.
State term_by_term(const Parameters& p, const State& s) {
  const Eigen::MatrixXd C = covariance(s);
  const int K = p.K, M = p.M;
  const Activation g = p.activation;
  auto i2 = [&](int a, int b) { return I2(g, sub_covariance<2>(C, {a, b})); };
  auto i3 = [&](int a, int b, int c) { return I3(g, sub_covariance<3>(C, {a, b, c})); };
  auto i4 = [&](int a, int b, int c, int d) { return I4(g, sub_covariance<4>(C, {a, b, c, d})); };
  auto t = [&](int n) { return K + n; };  // field index of teacher unit n
  auto bracket3 = [&](int i, int a) {     // sum_m v*_m I3(i,a,m) - sum_j v_j I3(i,a,j)
    double sum = 0;
    for (int m = 0; m < M; ++m) sum += p.v_star(m) * i3(i, a, t(m));
    for (int j = 0; j < K; ++j) sum -= s.v(j) * i3(i, a, j);
    return sum;
  };
  State d{Eigen::MatrixXd(K, K), Eigen::MatrixXd(K, M), Eigen::MatrixXd::Zero(M, M), Eigen::VectorXd(K)};
  for (int i = 0; i < K; ++i) {
    for (int n = 0; n < M; ++n) d.R(i, n) = p.eta * s.v(i) * bracket3(i, t(n)) - p.kappa * s.R(i, n);
    for (int k = 0; k < K; ++k) {
      double second = p.sigma * p.sigma * J2(g, sub_covariance<2>(C, {i, k}));
      for (int n = 0; n < M; ++n)
        for (int m = 0; m < M; ++m) second += p.v_star(n) * p.v_star(m) * i4(i, k, t(n), t(m));
      for (int j = 0; j < K; ++j)
        for (int n = 0; n < M; ++n) second -= 2 * s.v(j) * p.v_star(n) * i4(i, k, j, t(n));
      for (int j = 0; j < K; ++j)
        for (int l = 0; l < K; ++l) second += s.v(j) * s.v(l) * i4(i, k, j, l);
      d.Q(i, k) = p.eta * s.v(i) * bracket3(i, k) + p.eta * s.v(k) * bracket3(k, i) +
                  p.eta * p.eta * s.v(i) * s.v(k) * second - 2 * p.kappa * s.Q(i, k);
    }
    double first = 0;
    for (int n = 0; n < M; ++n) first += p.v_star(n) * i2(i, t(n));
    for (int j = 0; j < K; ++j) first -= s.v(j) * i2(i, j);
    d.v(i) = p.eta_v > 0 ? p.eta_v * first - p.kappa * s.v(i) : 0.0;
  }
  return d;
}

// The linear network's ODE as matrix polynomials (g(x) = x, every average a covariance entry).
State linear_polynomial(const Parameters& p, const State& s) {
  const Eigen::VectorXd& v = s.v;
  const Eigen::VectorXd& w = p.v_star;
  const Eigen::VectorXd student_error = s.R * w - s.Q * v;  // E[lambda_i (y - y_hat)]
  const double output_error = w.dot(s.T * w) - 2 * v.dot(s.R * w) + v.dot(s.Q * v) + p.sigma * p.sigma;
  State d{Eigen::MatrixXd(p.K, p.K), Eigen::MatrixXd(p.K, p.M), Eigen::MatrixXd::Zero(p.M, p.M), Eigen::VectorXd(p.K)};
  d.R = p.eta * v * (s.T * w - s.R.transpose() * v).transpose() - p.kappa * s.R;
  const Eigen::MatrixXd drift = p.eta * student_error * v.transpose();  // (k, i): eta v_i E[lambda_k (y - y_hat)]
  d.Q = drift + drift.transpose() + p.eta * p.eta * output_error * v * v.transpose() - 2 * p.kappa * s.Q;
  d.v = p.eta_v * student_error - p.kappa * v;
  return d;
}

void check_close(const State& a, const State& b, double tolerance) {
  CHECK((a.Q - b.Q).cwiseAbs().maxCoeff() < tolerance);
  CHECK((a.R - b.R).cwiseAbs().maxCoeff() < tolerance);
  CHECK((a.v - b.v).cwiseAbs().maxCoeff() < tolerance);
}

}  // namespace

TEST_CASE("erf right-hand side equals the term-by-term equations and dQ is symmetric") {
  for (double eta_v : {0.0, 0.3}) {
    Parameters p = all_terms(Activation::erf);
    p.eta_v = eta_v;
    const State s = example_state();
    const State expected = term_by_term(p, s);
    CHECK((expected.Q - expected.Q.transpose()).cwiseAbs().maxCoeff() < 1e-14);
    check_close(derivative(Ode(p, s.T), s), expected, 1e-14);
  }
}

TEST_CASE("linear right-hand side equals the polynomial ODE") {
  const Parameters p = all_terms(Activation::linear);
  const State s = example_state();
  check_close(derivative(Ode(p, s.T), s), linear_polynomial(p, s), 1e-14);
}

TEST_CASE("weight decay adds -kappa R, -2 kappa Q, and -kappa v only when the second layer learns") {
  for (double eta_v : {0.0, 0.3}) {
    Parameters p = all_terms(Activation::erf), no_decay = p;
    p.eta_v = no_decay.eta_v = eta_v;
    no_decay.kappa = 0;
    const State s = example_state();
    const State with = derivative(Ode(p, s.T), s), without = derivative(Ode(no_decay, s.T), s);
    CHECK(((with.R - without.R) + p.kappa * s.R).cwiseAbs().maxCoeff() < 1e-15);
    CHECK(((with.Q - without.Q) + 2 * p.kappa * s.Q).cwiseAbs().maxCoeff() < 1e-15);
    const Eigen::VectorXd dv_decay = eta_v > 0 ? Eigen::VectorXd(-p.kappa * s.v) : Eigen::VectorXd::Zero(3);
    CHECK(((with.v - without.v) - dv_decay).cwiseAbs().maxCoeff() < 1e-15);
    if (eta_v == 0) CHECK(with.v.isZero(0));
  }
}

TEST_CASE("output noise adds eta^2 sigma^2 v_i v_k J2(i,k) to dQ only") {
  Parameters p = all_terms(Activation::erf), quiet = p;
  quiet.sigma = 0;
  const State s = example_state();
  const State noisy = derivative(Ode(p, s.T), s), clean = derivative(Ode(quiet, s.T), s);
  const Eigen::MatrixXd C = covariance(s);
  for (int i = 0; i < 3; ++i)
    for (int k = 0; k < 3; ++k)
      CHECK(noisy.Q(i, k) - clean.Q(i, k) ==
            doctest::Approx(p.eta * p.eta * p.sigma * p.sigma * s.v(i) * s.v(k) * J2(Activation::erf, sub_covariance<2>(C, {i, k})))
                .epsilon(1e-12));
  CHECK((noisy.R - clean.R).cwiseAbs().maxCoeff() == 0.0);
  CHECK((noisy.v - clean.v).cwiseAbs().maxCoeff() == 0.0);
}

TEST_CASE("a mini-batch of B inputs divides dQ's second-order term by B and leaves dR and dv alone") {
  // dQ(B) = first order + second order / B: the differences dQ(1) - dQ(2) and dQ(2) - dQ(4) are half
  // and a quarter of the second-order term, which the noise test above pins to eta^2 [...].
  Parameters p = all_terms(Activation::erf);
  const State s = example_state();
  auto at = [&](int batch) {
    Parameters q = p;
    q.batch = batch;
    return derivative(Ode(q, s.T), s);
  };
  const State one = at(1), two = at(2), four = at(4);
  double largest = 0;
  for (int i = 0; i < 3; ++i)
    for (int k = 0; k < 3; ++k) {
      CHECK(one.Q(i, k) - two.Q(i, k) == doctest::Approx(2 * (two.Q(i, k) - four.Q(i, k))).epsilon(1e-10));
      largest = std::max(largest, std::abs(one.Q(i, k) - two.Q(i, k)));
    }
  CHECK(largest > 1e-3);  // the term is there to be divided
  CHECK(one.R == two.R);
  CHECK(one.v == four.v);
  Parameters bad = p;
  bad.batch = 0;
  CHECK_THROWS_WITH_AS(Ode(bad, s.T), doctest::Contains("batch = 0"), std::invalid_argument);
}

TEST_CASE("a student equal to the teacher is a fixed point without noise and decay") {
  Parameters p;
  p.eta_v = 0.5;
  State s{Eigen::MatrixXd(2, 2), Eigen::MatrixXd(2, 2), Eigen::MatrixXd(2, 2), Eigen::VectorXd::Ones(2)};
  s.T << 1.0, 0.2, 0.2, 0.7;
  s.Q = s.R = s.T;
  const State d = derivative(Ode(p, s.T), s);
  CHECK(d.Q.cwiseAbs().maxCoeff() < 1e-15);
  CHECK(d.R.cwiseAbs().maxCoeff() < 1e-15);
  CHECK(d.v.cwiseAbs().maxCoeff() < 1e-15);
  CHECK(std::abs(generalisation_error(p, s)) < 1e-15);
  p.sigma = 0.1;  // noise heats Q only
  CHECK(derivative(Ode(p, s.T), s).Q(0, 0) > 0);
}

TEST_CASE("the student-permutation-symmetric subspace is invariant") {
  Parameters p;
  p.K = 3;
  p.eta_v = 0.5;
  State s{Eigen::MatrixXd::Constant(3, 3, 0.05), Eigen::MatrixXd::Constant(3, 2, 0.03), Eigen::MatrixXd::Identity(2, 2),
          Eigen::VectorXd::Constant(3, 0.8)};
  s.Q.diagonal().setConstant(0.2);
  const State d = derivative(Ode(p, s.T), s);
  CHECK(d.R.maxCoeff() - d.R.minCoeff() < 1e-15);
  CHECK(d.Q.diagonal().maxCoeff() - d.Q.diagonal().minCoeff() < 1e-15);
  CHECK(std::abs(d.Q(0, 1) - d.Q(1, 2)) < 1e-15);
  CHECK(d.v.maxCoeff() - d.v.minCoeff() < 1e-15);
  CHECK(d.R(0, 0) > 0);  // and the dynamics do move along it
}

TEST_CASE("generalisation error of the linear network and of the section 5 reference start") {
  Parameters p = all_terms(Activation::linear);
  const State s = example_state();
  const Eigen::VectorXd& v = s.v;
  const Eigen::VectorXd& w = p.v_star;
  CHECK(generalisation_error(p, s) ==
        doctest::Approx(0.5 * (v.dot(s.Q * v) - 2 * v.dot(s.R * w) + w.dot(s.T * w))).epsilon(1e-14));
  Parameters erf;
  State a{Eigen::MatrixXd(2, 2), Eigen::MatrixXd(2, 2), Eigen::MatrixXd::Identity(2, 2), Eigen::VectorXd::Ones(2)};
  a.Q << 0.5, 0.1, 0.1, 0.3;
  a.R << 0.1, 0.02, 0.01, 0.05;
  CHECK(std::abs(generalisation_error(erf, a) - 0.493440364) < 1e-9);
}

TEST_CASE("the ODE rejects invalid parameters and teacher overlaps") {
  Parameters p;
  p.eta = -1;
  CHECK_THROWS_WITH_AS(Ode(p, Eigen::MatrixXd::Identity(2, 2)), doctest::Contains("eta = -1"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(Ode(Parameters{}, Eigen::MatrixXd::Identity(3, 3)), doctest::Contains("T is 3x3"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(Ode(Parameters{}, -Eigen::MatrixXd::Identity(2, 2)), doctest::Contains("positive semi-definite"),
                       std::invalid_argument);
}
