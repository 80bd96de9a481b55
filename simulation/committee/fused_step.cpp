#include <cotdyn/simulation/committee/fused_step.hpp>

#include <cmath>
#include <vector>

#include <Eigen/Core>

namespace cotdyn::simulation::committee {

namespace {

using meanfield::committee::Activation;

// g and g' of docs/models/committee.md §1: erf(x/sqrt 2) or x.
template <class Scalar>
Scalar g(Activation a, Scalar x) {
  return a == Activation::erf ? std::erf(x * Scalar(M_SQRT1_2)) : x;
}
template <class Scalar>
Scalar g_prime(Activation a, Scalar x) {
  return a == Activation::erf ? std::exp(x * x * Scalar(-0.5)) * Scalar(std::sqrt(2.0 / M_PI)) : Scalar(1);
}

// At most this many units (times inputs) on the stack; more go to the heap (K, M and B are small in practice).
constexpr int stack_values = 64;

}  // namespace

template <class Scalar>
double fused_step(const CommitteeSettings& s, Scalar* w, Scalar* v, const Scalar* w_star, const Scalar* v_star,
                  const Scalar* x, const Scalar* zeta) {
  using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
  using RowMajor = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const int N = s.N, K = s.K, M = s.M, B = s.batch;
  const Scalar sqrt_n = std::sqrt(static_cast<Scalar>(N));
  const Eigen::Map<const RowMajor> inputs(x, B, N);
  Eigen::Map<RowMajor> student(w, K, N);
  const Eigen::Map<const RowMajor> teacher(w_star, M, N);

  // Per input mu: the fields lambda = w x/sqrt(N) and nu = w* x/sqrt(N) from the pre-step weights,
  // delta_mu = y_hat - y with y = sum_m v*_m g(nu_m) + sigma zeta_mu, y_hat = sum_k v_k g(lambda_k),
  // and the coefficient of x_mu in the update of w_k: (eta/sqrt N) v_k g'(lambda_k) delta_mu / B.
  Scalar stack_fields[stack_values], stack_coefficients[stack_values];
  std::vector<Scalar> heap_fields, heap_coefficients;
  if (K + M > stack_values) heap_fields.resize(static_cast<std::size_t>(K + M));
  if (K * B > stack_values) heap_coefficients.resize(static_cast<std::size_t>(K * B));
  Eigen::Map<Vector> lambda(K + M > stack_values ? heap_fields.data() : stack_fields, K);
  Eigen::Map<Vector> nu(K + M > stack_values ? heap_fields.data() + K : stack_fields + K, M);
  Eigen::Map<RowMajor> coefficient(K * B > stack_values ? heap_coefficients.data() : stack_coefficients, K, B);
  // The second layer's step, summed over the inputs (applied after w's, from the pre-step v).
  Scalar stack_dv[stack_values];
  std::vector<Scalar> heap_dv;
  if (K > stack_values) heap_dv.resize(static_cast<std::size_t>(K));
  Scalar* dv = K > stack_values ? heap_dv.data() : stack_dv;
  for (int k = 0; k < K; ++k) dv[k] = 0;

  double loss = 0;
  for (int mu = 0; mu < B; ++mu) {
    lambda.noalias() = student * inputs.row(mu).transpose();
    lambda /= sqrt_n;
    nu.noalias() = teacher * inputs.row(mu).transpose();
    nu /= sqrt_n;
    Scalar y = 0, y_hat = 0;
    for (int m = 0; m < M; ++m) y += g(s.activation, nu[m]) * v_star[m];
    if (s.sigma > 0) y += static_cast<Scalar>(s.sigma) * zeta[mu];
    for (int k = 0; k < K; ++k) y_hat += g(s.activation, lambda[k]) * v[k];
    const Scalar delta = y_hat - y;
    loss += static_cast<double>(delta) * static_cast<double>(delta) / 2;
    for (int k = 0; k < K; ++k) {
      coefficient(k, mu) = static_cast<Scalar>(s.eta) / sqrt_n * v[k] * g_prime(s.activation, lambda[k]) * delta / Scalar(B);
      if (s.eta_v > 0) dv[k] += static_cast<Scalar>(s.eta_v) / Scalar(N) * g(s.activation, lambda[k]) * delta / Scalar(B);
    }
  }

  // w_k <- w_k (1 - kappa/N) - sum_mu coefficient_k,mu x_mu; then, only when the second layer is
  // trained, v_k <- v_k - dv_k - (kappa/N) v_k (§1). Every factor came from the pre-step weights.
  const Scalar decay = static_cast<Scalar>(s.kappa) / Scalar(N);
  if (decay > 0) student *= (1 - decay);
  if (B == 1)
    student.noalias() -= coefficient.col(0) * inputs.row(0);
  else
    student.noalias() -= coefficient * inputs;
  if (s.eta_v > 0)
    for (int k = 0; k < K; ++k) v[k] -= dv[k] + decay * v[k];
  return loss / B;
}

template double fused_step<double>(const CommitteeSettings&, double*, double*, const double*, const double*, const double*,
                                   const double*);
template double fused_step<float>(const CommitteeSettings&, float*, float*, const float*, const float*, const float*,
                                  const float*);

}  // namespace cotdyn::simulation::committee
