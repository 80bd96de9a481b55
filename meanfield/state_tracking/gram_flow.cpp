#include <cotdyn/meanfield/state_tracking/gram_flow.hpp>

#include <cmath>
#include <stdexcept>
#include <utility>

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <fmt/format.h>

#include <cotdyn/meanfield/state_tracking/order_parameters.hpp>

namespace cotdyn::meanfield {

namespace {
Eigen::MatrixXd unit_rows(int rows, int d, boost::random::mt19937_64& engine) {
  boost::random::normal_distribution<double> normal(0.0, 1.0);
  Eigen::MatrixXd X(rows, d);
  for (int i = 0; i < rows; ++i) {
    for (int j = 0; j < d; ++j) X(i, j) = normal(engine);
    X.row(i).normalize();
  }
  return X;
}

using Map = Eigen::Map<Eigen::MatrixXd>;
using ConstMap = Eigen::Map<const Eigen::MatrixXd>;
}  // namespace

GramMatrices identity_gram(int n, int K) {
  return {Eigen::MatrixXd::Identity(n, n), Eigen::MatrixXd::Identity(K, K)};
}

GramMatrices draw_gram_matrices(int n, int K, int d, std::uint64_t seed) {
  if (d < 1) throw std::invalid_argument(fmt::format("model.d = {}: must be >= 1", d));
  boost::random::mt19937_64 engine(seed);
  const Eigen::MatrixXd U = unit_rows(n, d, engine);
  const Eigen::MatrixXd E = unit_rows(K, d, engine);
  return {U * U.transpose(), E * E.transpose()};
}

GramFlow::GramFlow(const ModelParameters& parameters, std::vector<std::vector<int>> transition, GramMatrices gram)
    : p_(parameters), n_(parameters.n), K_(parameters.K), transition_(std::move(transition)), gram_(std::move(gram)),
      counts_(enumerate_count_vectors(parameters.K, parameters.L)) {
  validate(p_);
  if (static_cast<int>(transition_.size()) != K_)
    throw std::invalid_argument(fmt::format("theory.finite_size = \"gram\": the task has {} actions, the theory {}",
                                            transition_.size(), K_));
  for (const auto& row : transition_)
    if (static_cast<int>(row.size()) != n_)
      throw std::invalid_argument(fmt::format("theory.finite_size = \"gram\": the task has {} states, the theory {}",
                                              row.size(), n_));
  if (gram_.state.rows() != n_ || gram_.state.cols() != n_ || gram_.action.rows() != K_ || gram_.action.cols() != K_)
    throw std::invalid_argument("theory.finite_size = \"gram\": Gram matrices of the wrong shape");
  const int columns = K_ * counts_.size();
  context_weight_.resize(columns);
  target_action_.resize(columns);
  for (int a = 0; a < K_; ++a)
    for (int i = 0; i < counts_.size(); ++i) {
      context_weight_[a * counts_.size() + i] = counts_.weights[i] / K_;
      target_action_[a * counts_.size() + i] = a;
    }
}

State GramFlow::initial_state() const { return State::Zero(dimension()); }

Eigen::MatrixXd GramFlow::weights(double alpha) const {
  const double beta = (1.0 - alpha) / (p_.L - 1);
  const int m = counts_.size();
  Eigen::MatrixXd w(K_, K_ * m);
  for (int a = 0; a < K_; ++a)
    for (int i = 0; i < m; ++i) {
      const int* c = counts_.row(i);
      for (int b = 0; b < K_; ++b) w(b, a * m + i) = beta * c[b] + (b == a ? alpha : 0.0);
    }
  return w;
}

Eigen::VectorXd GramFlow::logit_tensor(const State& x) const {
  const int nK = n_ * K_;
  // Mode 1 (s') on all (a, s) at once, mode 2 (a) per s, mode 3 (s) as one product with G_u.
  Eigen::MatrixXd first = gram_.state * ConstMap(x.data() + 1, n_, K_ * n_);
  for (int s = 0; s < n_; ++s) {
    Map block(first.data() + static_cast<std::ptrdiff_t>(s) * nK, n_, K_);
    block = (block * gram_.action).eval();
  }
  Eigen::VectorXd T(nK * n_);
  Map(T.data(), nK, n_) = Map(first.data(), nK, n_) * gram_.state;
  return T;
}

ClassMeans GramFlow::class_means(const double* X) const {
  double teacher = 0, image = 0, total = 0;
  for (int s = 0; s < n_; ++s)
    for (int a = 0; a < K_; ++a) {
      const double* column = X + static_cast<std::ptrdiff_t>(s) * n_ * K_ + static_cast<std::ptrdiff_t>(a) * n_;
      for (int sp = 0; sp < n_; ++sp) total += column[sp];
      for (int b = 0; b < K_; ++b) (b == a ? teacher : image) += column[transition_[b][s]];
    }
  const double n = n_, K = K_;
  return {teacher / (n * K), image / (n * K * (K - 1)), (total - teacher - image) / (n * (n - K) * K)};
}

void GramFlow::operator()(const State& x, State& dxdt, double /*t*/) const {
  const DerivedQuantities q = derive(p_, {x[0], 0.0, 0.0});
  const double alpha = q.correct_lag_weight;
  const Eigen::MatrixXd w = weights(alpha);
  const Eigen::VectorXd T = logit_tensor(x);
  const double eps = p_.label_noise;
  const int nK = n_ * K_;
  dxdt.resize(dimension());
  double force = 0;  // E_q[alpha (f_{a_t} - sum_b w_b f_b)] = dl/dS_0 averaged
  // The context weights folded into w once: sum_c rho_c g_c w_c^T = g (w diag(rho))^T.
  const Eigen::MatrixXd weighted_w = w * context_weight_.asDiagonal();
  Eigen::MatrixXd& z = work_.logits;
  Eigen::ArrayXXd& g = work_.residuals;
  Eigen::MatrixXd& f = work_.forces;
  for (int s = 0; s < n_; ++s) {
    const ConstMap Ts(T.data() + static_cast<std::ptrdiff_t>(s) * nK, n_, K_);
    // p - y for every context column. One shift for the block: the logits of one state differ by far
    // less than the ~700 an exponential can span, so no column underflows entirely.
    z.noalias() = Ts * w;
    g = (z.array() - z.maxCoeff()).exp();
    g.rowwise() /= g.colwise().sum();
    g -= eps / n_;
    for (int c = 0; c < g.cols(); ++c) g(transition_[target_action_[c]][s], c) -= 1.0 - eps;
    // dC[., ., s]/dt = -eta_W / n sum_c rho_c (p - y)_c w_c^T  (s_cur = s has probability 1/n)
    Map(dxdt.data() + 1 + static_cast<std::ptrdiff_t>(s) * nK, n_, K_).noalias() =
        (-p_.eta_W / n_) * (g.matrix() * weighted_w.transpose());
    f.noalias() = Ts.transpose() * g.matrix();  // f_b per context column
    for (int c = 0; c < g.cols(); ++c)
      force += context_weight_[c] * (f(target_action_[c], c) - w.col(c).dot(f.col(c)));
  }
  force *= alpha / n_;
  dxdt[0] = -2.0 * p_.eta_A * q.qk_norm * static_cast<double>(p_.L) / (p_.L - 1) * force;
}

GramObservables GramFlow::observe(const State& x) const {
  GramObservables o;
  const DerivedQuantities q = derive(p_, {x[0], 0.0, 0.0});
  o.M = x[0];
  o.alpha = q.correct_lag_weight;
  const Eigen::VectorXd T = logit_tensor(x);
  o.logit = class_means(T.data());
  o.coefficient = class_means(x.data() + 1);
  const Eigen::MatrixXd w = weights(o.alpha);
  const int nK = n_ * K_;
  for (int s = 0; s < n_; ++s) {
    const Eigen::MatrixXd z = ConstMap(T.data() + static_cast<std::ptrdiff_t>(s) * nK, n_, K_) * w;
    for (int c = 0; c < z.cols(); ++c) {
      const int target = transition_[target_action_[c]][s];
      const double top = z.col(c).maxCoeff();
      const double log_sum = top + std::log((z.col(c).array() - top).exp().sum());
      o.loss += context_weight_[c] * (log_sum - z(target, c)) / n_;
      Eigen::Index argmax = 0;
      z.col(c).maxCoeff(&argmax);  // the first maximum: ties go to the lowest index
      if (argmax == target) o.step_acc += context_weight_[c] / n_;
    }
  }
  return o;
}

}  // namespace cotdyn::meanfield
