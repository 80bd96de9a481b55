#include <cotdyn/simulation/committee/network.hpp>

#include <cmath>

namespace cotdyn::simulation::committee {

using meanfield::committee::Activation;

torch::Tensor activation(Activation g, const torch::Tensor& x) {
  return g == Activation::erf ? torch::erf(x * M_SQRT1_2) : x;
}

torch::Tensor activation_derivative(Activation g, const torch::Tensor& x) {
  if (g == Activation::linear) return torch::ones_like(x);
  return torch::exp(x.square() * -0.5) * std::sqrt(2.0 / M_PI);
}

std::vector<at::Generator> seed_generators(const CommitteeSettings& settings) {
  std::vector<at::Generator> generators;
  for (int e = 0; e < settings.seeds; ++e)
    generators.push_back(at::make_generator<at::CPUGeneratorImpl>(settings.base_seed + static_cast<std::uint64_t>(e)));
  return generators;
}

CommitteeNetworkImpl::CommitteeNetworkImpl(const CommitteeSettings& s, std::vector<at::Generator>& generators)
    : g(s.activation), N(s.N), K(s.K), M(s.M), E(s.seeds) {
  const auto options = torch::TensorOptions().dtype(torch::kDouble);
  auto teacher = torch::empty({E, M, N}, options);
  auto student = torch::empty({E, K, N}, options);
  for (int e = 0; e < E; ++e) {
    teacher[e].copy_(torch::randn({M, N}, generators.at(e), options));
    student[e].copy_(torch::randn({K, N}, generators.at(e), options) * s.init_scale);
  }
  const Eigen::VectorXd v0 = s.v0_vector(), vs = s.v_star_vector();
  // Drawn in double on the CPU whatever the run's precision and device, so a float32 or CUDA run
  // starts from the same weights, rounded.
  const auto target = tensor_options(s);
  w = register_parameter("w", student.to(target));
  v = register_parameter("v", torch::from_blob(const_cast<double*>(v0.data()), {1, K}, options).repeat({E, 1}).to(target));
  w_star = register_buffer("w_star", teacher.to(target));
  v_star = register_buffer("v_star", torch::from_blob(const_cast<double*>(vs.data()), {M}, options).clone().to(target));
}

torch::TensorOptions tensor_options(const CommitteeSettings& s) {
  return torch::TensorOptions()
      .dtype(s.dtype == Precision::float32 ? torch::kFloat : torch::kDouble)
      .device(s.device == DeviceKind::cuda ? torch::kCUDA : torch::kCPU);
}

namespace {

// x [E, B, N] or [B, N] against weights [E, U, N] -> [E, B, U], divided by sqrt(N). Shared inputs
// go through one matrix product with all seeds' units stacked, [B, N] x [N, E U]: broadcasting
// them against the batch of seeds instead would copy x E times.
torch::Tensor fields(const torch::Tensor& x, const torch::Tensor& weights) {
  const auto E = weights.size(0), U = weights.size(1), N = weights.size(2);
  const double scale = 1 / std::sqrt(static_cast<double>(N));
  if (x.dim() == 2) return (torch::mm(x, weights.reshape({E * U, N}).t()) * scale).view({x.size(0), E, U}).permute({1, 0, 2});
  return torch::bmm(x, weights.transpose(1, 2)) * scale;
}

}  // namespace

torch::Tensor CommitteeNetworkImpl::student_fields(const torch::Tensor& x) const { return fields(x, w); }

torch::Tensor CommitteeNetworkImpl::teacher_fields(const torch::Tensor& x) const { return fields(x, w_star); }

torch::Tensor CommitteeNetworkImpl::student_fields_one(const torch::Tensor& x) const {
  return (w * x.unsqueeze(1)).sum(-1) / std::sqrt(static_cast<double>(N));
}

torch::Tensor CommitteeNetworkImpl::teacher_fields_one(const torch::Tensor& x) const {
  return (w_star * x.unsqueeze(1)).sum(-1) / std::sqrt(static_cast<double>(N));
}

torch::Tensor CommitteeNetworkImpl::forward(const torch::Tensor& x) {
  return (activation(g, student_fields(x)) * v.unsqueeze(1)).sum(-1);
}

torch::Tensor CommitteeNetworkImpl::teacher(const torch::Tensor& x) const {
  return torch::matmul(activation(g, teacher_fields(x)), v_star);
}

Gradients closed_form_gradients(const CommitteeNetworkImpl& network, const torch::Tensor& x,
                                const torch::Tensor& lambda, const torch::Tensor& delta) {
  const double B = static_cast<double>(x.size(1));
  const auto d = delta.unsqueeze(2);  // [E, B, 1]
  const auto coefficient = d * network.v.unsqueeze(1) * activation_derivative(network.g, lambda) /
                           (std::sqrt(static_cast<double>(network.N)) * B);  // [E, B, K]
  return {torch::bmm(coefficient.transpose(1, 2), x), (d * activation(network.g, lambda)).sum(1) / B};
}

}  // namespace cotdyn::simulation::committee
