#pragma once
// The Boolean-DAG experiment's network (docs/models/natbool.md §3.1): the shared member-batched
// transformer (docs/models/transformer.md) with 4 tokens, 2 output logits, m + G + 2 positions, every
// member initialised from its own seed; identical in all regimes, so at one r and seed every regime
// starts from the same weights.
#include <torch/torch.h>

#include <cotdyn/simulation/natbool/settings.hpp>
#include <cotdyn/simulation/transformer/network.hpp>

namespace cotdyn::simulation::natbool {

transformer::Transformer make_network(const NatboolSettings& settings, torch::Dtype dtype = torch::kFloat32);

}  // namespace cotdyn::simulation::natbool
