#pragma once
// The attention-bypass probe per block of the shared transformer (docs/models/transformer.md): at one
// position, per member and block l = 1 ... L, the mean over the batch of ||a_l|| / ||h_{l-1}||, where
// a_l = W_o Attn(LN1(h_{l-1})) + b_o is what the block's attention branch adds to the residual stream
// h_{l-1}. The ratio itself is the one of the state-tracking probe (simulation/state_tracking/
// bypass_probe.hpp): a small value means the block's attention writes little next to the stream it
// reads, so what follows reads the residual stream rather than what attention retrieved.
#include <cstdint>
#include <vector>

#include <torch/torch.h>

#include <cotdyn/simulation/transformer/network.hpp>

namespace cotdyn::simulation::transformer {

// inputs [E, B, T, d] (h_0, e.g. embed(tokens)); 0 <= position < T. Returns [E][L] (float64 means),
// block l at index l - 1. No gradient is recorded.
std::vector<std::vector<double>> attention_bypass(const TransformerImpl& network, const torch::Tensor& inputs,
                                                  std::int64_t position);

}  // namespace cotdyn::simulation::transformer
