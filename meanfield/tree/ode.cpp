#include <cotdyn/meanfield/tree/ode.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace cotdyn::meanfield::tree {

// docs/models/tree.md §1.3: edge p is (p+1, floor(p/2)), v_k = 2^k - 1.
CanonicalSample canonical_sample(const Parameters& p) {
  validate(p);
  CanonicalSample s;
  const int E = p.edges(), D = p.D;
  auto v = [](int k) { return (1 << k) - 1; };
  auto push = [&](int x, int y) {
    s.x.push_back(x);
    s.y.push_back(y);
  };
  for (int e = 0; e < E; ++e) push(e + 1, e / 2);
  push(none, v(D));
  for (int j = 1; j <= D - 1; ++j) push(v(D - j + 1), v(D - j));
  if (p.task == Task::forward) {
    push(v(1), v(0));
    for (int k = 1; k <= D - 1; ++k) push(v(k - 1), v(k));
  }
  for (int q = 0; q < p.queries(); ++q) {
    s.position.push_back(E + q);
    s.stage.push_back(q < D ? 0 : 1);
    s.target.push_back(q < D ? v(D - 1 - q) : v(q - D + 1));
  }
  return s;
}

TreeOde::TreeOde(const Parameters& parameters) : parameters_(parameters), sample_(canonical_sample(parameters)) {
  const double N = parameters_.N;
  for (int i = 0; i < per_head; ++i)
    rates_.push_back(is_diagonal(i) ? parameters_.kappa() * parameters_.eta / N
                                    : parameters_.offdiagonal_factor() * parameters_.eta / (N * (N - 1)));
}

std::vector<double> TreeOde::initial_state() const {
  std::vector<double> x(dimension(), 0.0);
  for (int h = 0; h < parameters_.H; ++h)
    x[per_head * h + ov_index(1, 0)] = parameters_.kappa() * parameters_.head_epsilon(h);
  return x;
}

// docs/models/tree.md §4.2: scores S_qk, attention, logits and their gradients.
CanonicalPass TreeOde::evaluate(const std::vector<double>& x, std::vector<double>* gradient) const {
  if (static_cast<int>(x.size()) != dimension())
    throw std::invalid_argument("tree ODE: the state must have 12 H entries");
  const int H = parameters_.H, N = parameters_.N, T = parameters_.tokens(), Q = sample_.queries();
  const auto slot = [&](int s, int k) { return s == 0 ? sample_.x[k] : sample_.y[k]; };

  CanonicalPass pass;
  pass.attention.assign(H, Eigen::MatrixXd::Zero(Q, T));
  pass.logits = Eigen::MatrixXd::Zero(Q, N);
  for (int h = 0; h < H; ++h) {
    const double* th = x.data() + per_head * h;
    for (int q = 0; q < Q; ++q) {
      const int last = sample_.position[q], tau = sample_.stage[q], cur = sample_.current(q);
      auto alpha = pass.attention[h].row(q);
      double max_score = -INFINITY;
      for (int k = 0; k <= last; ++k) {
        double score = 0.0;
        for (int s = 0; s < 2; ++s)
          if (slot(s, k) != none) score += th[qk_index(tau, s, slot(s, k) == cur ? 0 : 1)];
        alpha(k) = score;
        max_score = std::max(max_score, score);
      }
      double norm = 0.0;
      for (int k = 0; k <= last; ++k) norm += (alpha(k) = std::exp(alpha(k) - max_score));
      alpha.head(last + 1) /= norm;
      // l_ky = sum over present slots of r_s + (o_s - r_s) [y = slot_s(k)]
      double background = 0.0;
      for (int k = 0; k <= last; ++k)
        for (int s = 0; s < 2; ++s)
          if (slot(s, k) != none) {
            background += alpha(k) * th[ov_index(s, 1)];
            pass.logits(q, slot(s, k)) += alpha(k) * (th[ov_index(s, 0)] - th[ov_index(s, 1)]);
          }
      pass.logits.row(q).array() += background;
    }
  }
  pass.probabilities.resize(Q, N);
  for (int q = 0; q < Q; ++q) {
    const double max_logit = pass.logits.row(q).maxCoeff();
    const double log_norm = max_logit + std::log((pass.logits.row(q).array() - max_logit).exp().sum());
    pass.probabilities.row(q) = (pass.logits.row(q).array() - log_norm).exp();
    pass.loss += (log_norm - pass.logits(q, sample_.target[q])) / Q;
  }
  if (gradient == nullptr) return pass;

  // delta_qy = (p_qy - [y = t_q]) / Q; f_qk = sum_y delta_qy l_ky; g_qk = alpha_qk (f_qk - <f>_q).
  gradient->assign(dimension(), 0.0);
  Eigen::MatrixXd delta = pass.probabilities / Q;
  for (int q = 0; q < Q; ++q) delta(q, sample_.target[q]) -= 1.0 / Q;
  std::vector<double> f(T);
  for (int h = 0; h < H; ++h) {
    const double* th = x.data() + per_head * h;
    double* grad = gradient->data() + per_head * h;
    for (int q = 0; q < Q; ++q) {
      const int last = sample_.position[q], tau = sample_.stage[q], cur = sample_.current(q);
      const auto alpha = pass.attention[h].row(q);
      const double delta_sum = delta.row(q).sum();  // 0 up to rounding
      double mean_f = 0.0;
      for (int k = 0; k <= last; ++k) {
        f[k] = 0.0;
        for (int s = 0; s < 2; ++s)
          if (slot(s, k) != none) {
            const double d_slot = delta(q, slot(s, k));
            f[k] += th[ov_index(s, 1)] * delta_sum + (th[ov_index(s, 0)] - th[ov_index(s, 1)]) * d_slot;
            grad[ov_index(s, 0)] += alpha(k) * d_slot;
            grad[ov_index(s, 1)] += alpha(k) * (delta_sum - d_slot);
          }
        mean_f += alpha(k) * f[k];
      }
      for (int k = 0; k <= last; ++k) {
        const double g = alpha(k) * (f[k] - mean_f);
        for (int s = 0; s < 2; ++s)
          if (slot(s, k) != none) grad[qk_index(tau, s, slot(s, k) == cur ? 0 : 1)] += g;
      }
    }
  }
  return pass;
}

CanonicalPass TreeOde::forward(const std::vector<double>& x) const { return evaluate(x, nullptr); }

std::vector<double> TreeOde::loss_gradient(const std::vector<double>& x) const {
  std::vector<double> gradient;
  evaluate(x, &gradient);
  return gradient;
}

void TreeOde::operator()(const std::vector<double>& x, std::vector<double>& dxdt, double /*t*/) const {
  evaluate(x, &dxdt);
  for (int i = 0; i < dimension(); ++i) dxdt[i] *= -rates_[i % per_head];
}

}  // namespace cotdyn::meanfield::tree
