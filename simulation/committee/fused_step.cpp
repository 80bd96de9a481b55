#include <cotdyn/simulation/committee/fused_step.hpp>

#include <cmath>

#include <Eigen/Core>

namespace cotdyn::simulation::committee {

namespace {

using meanfield::committee::Activation;
using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// g and g' of docs/models/committee.md §1: erf(x/sqrt 2) or x.
double g(Activation a, double x) { return a == Activation::erf ? std::erf(x * M_SQRT1_2) : x; }
double g_prime(Activation a, double x) { return a == Activation::erf ? std::exp(x * x * -0.5) * std::sqrt(2.0 / M_PI) : 1.0; }

// At most this many units on the stack; more go to the heap (K and M are small in practice).
constexpr int stack_units = 16;

}  // namespace

double fused_step(const CommitteeSettings& s, double* w, double* v, const double* w_star, const double* v_star,
                  const double* x, double zeta) {
  const int N = s.N, K = s.K, M = s.M;
  const double sqrt_n = std::sqrt(static_cast<double>(N));
  const Eigen::Map<const Eigen::VectorXd> input(x, N);
  Eigen::Map<RowMajor> student(w, K, N);
  const Eigen::Map<const RowMajor> teacher(w_star, M, N);

  // The fields lambda = w x/sqrt(N) and nu = w* x/sqrt(N), from the pre-step weights.
  double stack_lambda[stack_units], stack_nu[stack_units];
  Eigen::VectorXd heap_lambda, heap_nu;
  if (K > stack_units) heap_lambda.resize(K);
  if (M > stack_units) heap_nu.resize(M);
  Eigen::Map<Eigen::VectorXd> lambda(K > stack_units ? heap_lambda.data() : stack_lambda, K);
  Eigen::Map<Eigen::VectorXd> nu(M > stack_units ? heap_nu.data() : stack_nu, M);
  lambda.noalias() = student * input;
  lambda /= sqrt_n;
  nu.noalias() = teacher * input;
  nu /= sqrt_n;

  // y = sum_m v*_m g(nu_m) + sigma zeta, y_hat = sum_k v_k g(lambda_k), delta = y_hat - y.
  double y = 0, y_hat = 0;
  for (int m = 0; m < M; ++m) y += g(s.activation, nu[m]) * v_star[m];
  if (s.sigma > 0) y += s.sigma * zeta;
  for (int k = 0; k < K; ++k) y_hat += g(s.activation, lambda[k]) * v[k];
  const double delta = y_hat - y;

  // w_k <- w_k - (eta/sqrt N) v_k g'(lambda_k) delta x - (kappa/N) w_k; then, only when the second
  // layer is trained, v_k <- v_k - (eta_v/N) g(lambda_k) delta - (kappa/N) v_k (§1). Every factor
  // was computed from the pre-step weights above.
  const double decay = s.kappa / N;
  for (int k = 0; k < K; ++k) {
    const double coefficient = s.eta / sqrt_n * v[k] * g_prime(s.activation, lambda[k]) * delta;
    if (decay > 0)
      student.row(k) = student.row(k) * (1 - decay) - coefficient * input.transpose();
    else
      student.row(k) -= coefficient * input.transpose();
  }
  if (s.eta_v > 0)
    for (int k = 0; k < K; ++k) v[k] -= s.eta_v / N * g(s.activation, lambda[k]) * delta + decay * v[k];
  return delta * delta / 2;
}

}  // namespace cotdyn::simulation::committee
