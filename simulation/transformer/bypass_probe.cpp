#include <cotdyn/simulation/transformer/bypass_probe.hpp>

#include <stdexcept>

#include <fmt/format.h>

#include <cotdyn/simulation/state_tracking/bypass_probe.hpp>

namespace cotdyn::simulation::transformer {

std::vector<std::vector<double>> attention_bypass(const TransformerImpl& network, const torch::Tensor& inputs,
                                                  std::int64_t position) {
  if (position < 0 || position >= inputs.size(2))
    throw std::out_of_range(fmt::format("bypass position {} outside a sequence of {}", position, inputs.size(2)));
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> attention;
  const std::vector<torch::Tensor> stream = network.residuals(inputs, &attention);
  const auto E = inputs.size(0);
  std::vector<std::vector<double>> out(E);
  for (std::size_t l = 0; l < attention.size(); ++l) {
    // attention[l] is a_{l+1}, the term added to h_l = stream[l] (stream[0] = h_0 = inputs).
    const torch::Tensor ratio =
        simulation::bypass_probe(attention[l].select(2, position), stream[l].select(2, position)).contiguous();
    for (std::int64_t e = 0; e < E; ++e) out[e].push_back(ratio[e].item<double>());
  }
  return out;
}

}  // namespace cotdyn::simulation::transformer
