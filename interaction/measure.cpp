#include <cotdyn/interaction/measure.hpp>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/generated/variable_factories.h>

#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>

#include <tbb/parallel_for.h>

namespace cotdyn::interaction {

namespace {

at::Tensor apply_activation(Activation a, const at::Tensor& x) {
  switch (a) {
    case Activation::identity: return x;
    case Activation::x2: return x * x;
    case Activation::x3: return x * x * x;
    case Activation::exp: return at::exp(x);
    case Activation::tanh: return at::tanh(x);
    case Activation::relu: return at::relu(x);  // PyTorch convention ReLU'(0) = 0
    case Activation::gelu: return at::gelu(x);  // exact erf form (approximate = "none")
    case Activation::silu: return at::silu(x);
    case Activation::softplus: return at::softplus(x);  // log(1 + e^x), linear above x = 20 (never reached here)
  }
  return x;
}

// All 2^r sign patterns of the relevant tokens, [2^r, r].
at::Tensor sign_patterns(int r) {
  const std::int64_t K = std::int64_t(1) << r;
  at::Tensor bits = at::arange(K, at::kLong).unsqueeze(1).bitwise_right_shift(at::arange(r, at::kLong)).bitwise_and(1);
  return (bits * 2 - 1).to(at::kDouble);
}

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t bits_of(double x) {
  std::uint64_t u;
  std::memcpy(&u, &x, sizeof u);
  return u;
}

std::uint64_t cell_seed(std::uint64_t seed, const InteractionRow& row) {
  std::uint64_t h = splitmix64(seed);
  for (std::uint64_t part : {std::uint64_t(row.activation_id), bits_of(row.b), bits_of(row.v),
                             std::uint64_t(row.token_law), std::uint64_t(row.r), std::uint64_t(row.T)})
    h = splitmix64(h ^ part);
  return h;
}

}  // namespace

Measurement measure_cell(Activation a, double b, double v, TokenLaw tokens, int r, int T, std::int64_t pairs,
                         std::uint64_t seed) {
  if (r < 1 || r >= T)
    throw std::invalid_argument("interaction.r = " + std::to_string(r) + " is invalid for a measurement: need 1 <= r < T = " +
                                std::to_string(T));
  if (pairs < 2) throw std::invalid_argument("interaction.samples = " + std::to_string(pairs) + " is invalid: >= 2");
  at::NoGradGuard no_grad_outside;  // only the model pass below records a graph
  at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  const auto dbl = at::TensorOptions().dtype(at::kDouble);
  const std::int64_t K = std::int64_t(1) << r, M = 2 * K, rest = T - r;
  const at::Tensor patterns = sign_patterns(r);                         // [K, r]
  const at::Tensor antithetic = at::tensor({1.0, -1.0}, dbl).view({1, 2, 1, 1});
  // Pairs per chunk: about 2^20 token entries, so a chunk's tensors stay a few MB.
  const std::int64_t chunk = std::max<std::int64_t>(1, std::min<std::int64_t>(pairs, (std::int64_t(1) << 20) / (M * T)));

  std::vector<double> estimates;
  estimates.reserve(pairs);
  for (std::int64_t done = 0; done < pairs; done += chunk) {
    const std::int64_t C = std::min(chunk, pairs - done);
    // Tokens [C, 2, K, T]: positions 0..r-1 are S (exchangeability makes the choice of S immaterial).
    at::Tensor x_rest, relevant;
    if (tokens == TokenLaw::rademacher) {
      x_rest = at::bernoulli(at::full({C, 1, 1, rest}, 0.5, dbl), gen) * 2 - 1;
      relevant = patterns.view({1, 1, K, r}).expand({C, 2, K, r});
    } else {
      x_rest = at::normal(0.0, 1.0, {C, 1, 1, rest}, gen, dbl);
      const at::Tensor magnitude = at::normal(0.0, 1.0, {C, 1, 1, r}, gen, dbl).abs();
      relevant = (magnitude * patterns.view({1, 1, K, r})).expand({C, 2, K, r});
    }
    const at::Tensor x = at::cat({relevant, (antithetic * x_rest).expand({C, 2, K, rest})}, 3).reshape({C, M, T});
    const at::Tensor y = x.narrow(2, 0, r).prod(2);  // parity target, [C, M]

    // The model: one read-out weight vector per pair (leading pair dimension), so autograd returns each pair's
    // own gradient of its mean of y f over its M inputs.
    at::Tensor grad_w;
    {
      at::AutoGradMode enable(true);
      at::Tensor w = at::zeros({C, T}, dbl).set_requires_grad(true);
      const at::Tensor alpha = at::softmax(w, 1);
      const at::Tensor z = v * at::matmul(x, alpha.unsqueeze(2)).squeeze(2);  // [C, M]
      const at::Tensor f = apply_activation(a, b + z);
      const at::Tensor correlation = (y * f).sum() / double(M);
      grad_w = torch::autograd::grad({correlation}, {w})[0];  // Ghat_j per pair, [C, T]
    }
    const at::Tensor delta_hat = grad_w.narrow(1, 0, r).mean(1) - grad_w.narrow(1, r, rest).mean(1);
    const at::Tensor contiguous = delta_hat.contiguous();
    const double* p = contiguous.data_ptr<double>();
    estimates.insert(estimates.end(), p, p + C);
  }
  double mean = 0;
  for (double e : estimates) mean += e;
  mean /= double(estimates.size());
  double ss = 0;
  for (double e : estimates) ss += (e - mean) * (e - mean);
  const double sd = std::sqrt(ss / double(estimates.size() - 1));
  return {mean, sd / std::sqrt(double(estimates.size()))};
}

void measure_rows(std::vector<InteractionRow>& rows, std::int64_t pairs, std::uint64_t seed) {
  const int threads_before = at::get_num_threads();
  tbb::parallel_for(std::size_t(0), rows.size(), [&](std::size_t i) {
    InteractionRow& row = rows[i];
    if (row.t_equals_r) return;  // G_out undefined (INTERACTION.md): left empty
    at::set_num_threads(1);
    const Measurement m = measure_cell(row.activation_id, row.b, row.v, row.token_law, row.r, row.T, pairs,
                                       cell_seed(seed, row));
    row.delta_measured = m.delta;
    row.std_error = m.std_error;
    row.ratio = std::abs(row.delta_exact) < ratio_floor ? std::numeric_limits<double>::quiet_NaN()
                                                        : m.delta / row.delta_exact;
  });
  at::set_num_threads(threads_before);
}

}  // namespace cotdyn::interaction
