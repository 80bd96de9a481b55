#include <cotdyn/meanfield/committee/parameters.hpp>

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace cotdyn::meanfield::committee {

namespace {

[[noreturn]] void reject(const std::string& message) { throw std::invalid_argument("committee: " + message); }

void require_finite_nonnegative(const char* name, double value) {
  if (!std::isfinite(value) || value < 0) reject(fmt::format("{} = {} is not allowed: it must be finite and >= 0", name, value));
}

// Largest |A - A^T| entry relative to the largest |A| entry (0 for an empty or zero matrix).
double asymmetry(const Eigen::MatrixXd& A) {
  const double scale = std::max(1.0, A.cwiseAbs().maxCoeff());
  return (A - A.transpose()).cwiseAbs().maxCoeff() / scale;
}

}  // namespace

std::string to_string(Activation activation) { return activation == Activation::erf ? "erf" : "linear"; }

Activation activation_from_string(const std::string& name) {
  if (name == "erf") return Activation::erf;
  if (name == "linear") return Activation::linear;
  reject(fmt::format("activation = \"{}\" is not allowed: use \"erf\" or \"linear\"", name));
}

Eigen::MatrixXd covariance(const State& state) {
  const auto K = state.Q.rows(), M = state.T.rows();
  Eigen::MatrixXd C(K + M, K + M);
  C << state.Q, state.R, state.R.transpose(), state.T;
  return C;
}

std::size_t packed_size(int K, int M) { return static_cast<std::size_t>(K * (K + 1) / 2 + K * M + K); }

std::vector<double> pack(const State& state) {
  const int K = static_cast<int>(state.Q.rows()), M = static_cast<int>(state.R.cols());
  std::vector<double> x;
  x.reserve(packed_size(K, M));
  for (int i = 0; i < K; ++i)
    for (int k = i; k < K; ++k) x.push_back(state.Q(i, k));
  for (int i = 0; i < K; ++i)
    for (int n = 0; n < M; ++n) x.push_back(state.R(i, n));
  for (int i = 0; i < K; ++i) x.push_back(state.v(i));
  return x;
}

State unpack(const std::vector<double>& x, int K, const Eigen::MatrixXd& T) {
  const int M = static_cast<int>(T.rows());
  if (K < 1 || x.size() != packed_size(K, M))
    reject(fmt::format("a packed state of {} entries does not fit K = {}, M = {} (needs {})", x.size(), K, M,
                       K < 1 ? 0 : packed_size(K, M)));
  State s{Eigen::MatrixXd(K, K), Eigen::MatrixXd(K, M), T, Eigen::VectorXd(K)};
  std::size_t p = 0;
  for (int i = 0; i < K; ++i)
    for (int k = i; k < K; ++k) s.Q(i, k) = s.Q(k, i) = x[p++];
  for (int i = 0; i < K; ++i)
    for (int n = 0; n < M; ++n) s.R(i, n) = x[p++];
  for (int i = 0; i < K; ++i) s.v(i) = x[p++];
  return s;
}

void validate(const Parameters& p) {
  if (p.M < 1) reject(fmt::format("M = {} is not allowed: the teacher needs at least 1 hidden unit", p.M));
  if (p.K < 1) reject(fmt::format("K = {} is not allowed: the student needs at least 1 hidden unit", p.K));
  if (!std::isfinite(p.eta) || p.eta <= 0) reject(fmt::format("eta = {} is not allowed: it must be finite and > 0", p.eta));
  require_finite_nonnegative("eta_v", p.eta_v);
  if (p.batch < 1) reject(fmt::format("batch = {} is not allowed: it must be an integer >= 1", p.batch));
  require_finite_nonnegative("sigma", p.sigma);
  require_finite_nonnegative("kappa", p.kappa);
  if (p.v_star.size() != p.M)
    reject(fmt::format("v_star has {} entries, but M = {} are needed (one per teacher unit)", p.v_star.size(), p.M));
  if (!p.v_star.allFinite()) reject("v_star has a non-finite entry; all entries must be finite");
}

void validate(const State& s, const Parameters& p) {
  const auto shape = [](const Eigen::MatrixXd& A) { return fmt::format("{}x{}", A.rows(), A.cols()); };
  if (s.Q.rows() != p.K || s.Q.cols() != p.K) reject(fmt::format("Q is {}, but K x K = {}x{} is needed", shape(s.Q), p.K, p.K));
  if (s.R.rows() != p.K || s.R.cols() != p.M) reject(fmt::format("R is {}, but K x M = {}x{} is needed", shape(s.R), p.K, p.M));
  if (s.T.rows() != p.M || s.T.cols() != p.M) reject(fmt::format("T is {}, but M x M = {}x{} is needed", shape(s.T), p.M, p.M));
  if (s.v.size() != p.K) reject(fmt::format("v has {} entries, but K = {} are needed", s.v.size(), p.K));
  const Eigen::MatrixXd C = covariance(s);
  if (!C.allFinite() || !s.v.allFinite()) reject("Q, R, T and v must be finite");
  if (asymmetry(s.Q) > 1e-12) reject(fmt::format("Q is not symmetric (relative asymmetry {:.3g})", asymmetry(s.Q)));
  if (asymmetry(s.T) > 1e-12) reject(fmt::format("T is not symmetric (relative asymmetry {:.3g})", asymmetry(s.T)));
  const Eigen::MatrixXd Cs = 0.5 * (C + C.transpose());
  const double lowest = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(Cs, Eigen::EigenvaluesOnly).eigenvalues()(0);
  if (lowest < -1e-10 * std::max(1.0, Cs.diagonal().maxCoeff()))
    reject(fmt::format("the covariance [[Q, R], [R^T, T]] has eigenvalue {:.6g} < 0: it must be positive "
                       "semi-definite (overlaps of real weight vectors)", lowest));
}

}  // namespace cotdyn::meanfield::committee
