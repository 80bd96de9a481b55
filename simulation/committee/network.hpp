#pragma once
// The student and the teacher of the soft committee machine (docs/models/committee.md §1, §8.1),
// batched over E seeds: student w [E, K, N], v [E, K]; teacher w* [E, M, N] (each seed its own,
// components iid N(0, 1)) and v* [M] (shared). Double precision throughout.
#include <vector>

#include <torch/torch.h>

#include <cotdyn/simulation/committee/settings.hpp>

namespace cotdyn::simulation::committee {

// g and g' of meanfield::committee::Activation on tensors: erf(x/sqrt 2) or x.
torch::Tensor activation(meanfield::committee::Activation g, const torch::Tensor& x);
torch::Tensor activation_derivative(meanfield::committee::Activation g, const torch::Tensor& x);

// One generator per seed, seeded base_seed + e: seed e's initial weights, whatever the number of
// seeds (its inputs come from its own InputStream, input_stream.hpp).
std::vector<at::Generator> seed_generators(const CommitteeSettings& settings);

// The weights' dtype and device: committee.dtype and committee.device.
torch::TensorOptions tensor_options(const CommitteeSettings& settings);

class CommitteeNetworkImpl : public torch::nn::Module {
 public:
  // Draws, from each seed's generator in this order: the teacher's w* (M x N, N(0, 1)), then the
  // student's w (K x N, N(0, init_scale^2)). v = v0 and v* from the settings.
  CommitteeNetworkImpl(const CommitteeSettings& settings, std::vector<at::Generator>& generators);

  // Student output y_hat [E, B] for inputs x of shape [E, B, N] (per seed) or [B, N] (shared).
  torch::Tensor forward(const torch::Tensor& x);
  // Noise-free teacher output sum_m v*_m g(nu_m), same shapes.
  torch::Tensor teacher(const torch::Tensor& x) const;
  // Local fields x.w/sqrt(N): [E, B, K] for the student, [E, B, M] for the teacher.
  torch::Tensor student_fields(const torch::Tensor& x) const;
  torch::Tensor teacher_fields(const torch::Tensor& x) const;
  // The same for one input per seed, x [E, N] -> [E, K] or [E, M]: an elementwise product and a
  // sum, several times faster than a batched matrix product at these sizes (§8.4).
  torch::Tensor student_fields_one(const torch::Tensor& x) const;
  torch::Tensor teacher_fields_one(const torch::Tensor& x) const;

  meanfield::committee::Activation g;
  int N, K, M, E;
  torch::Tensor w, v;            // parameters
  torch::Tensor w_star, v_star;  // buffers (fixed)
};
TORCH_MODULE(CommitteeNetwork);

// The gradients of the loss, the mean over a step's B inputs of 1/2 (y_hat - y)^2 (x [E, B, N],
// delta = y_hat - y [E, B]), with respect to w and v, in closed form (docs/models/committee.md §8.2):
//   dL/dw_k = mean_mu delta_mu v_k g'(lambda_k,mu) x_mu / sqrt(N),   dL/dv_k = mean_mu delta_mu g(lambda_k,mu),
// from the fields lambda [E, B, K] of the same inputs.
struct Gradients {
  torch::Tensor w;  // [E, K, N]
  torch::Tensor v;  // [E, K]
};
Gradients closed_form_gradients(const CommitteeNetworkImpl& network, const torch::Tensor& x,
                                const torch::Tensor& lambda, const torch::Tensor& delta);

}  // namespace cotdyn::simulation::committee
