#pragma once
// Training the member-batched transformer (docs/models/transformer.md): Adam or AdamW from
// torch::optim, a linear learning-rate warm-up and a gradient-norm clip per member. Adam and AdamW
// are elementwise and the clip is taken per member, so members train exactly as independent runs.
#include <cstdint>
#include <memory>

#include <torch/torch.h>

#include <cotdyn/simulation/transformer/network.hpp>
#include <cotdyn/simulation/transformer/settings.hpp>

namespace cotdyn::simulation::transformer {

// torch::optim::Adam when weight_decay = 0, torch::optim::AdamW otherwise, in two parameter groups:
// the matrices and tables decay, the biases and LayerNorm gains and biases do not.
std::unique_ptr<torch::optim::Optimizer> make_optimizer(TransformerImpl& network, const OptimizerSettings& s);

// Scales each member's gradient (all parameters, member slice e) to norm at most max_norm.
void clip_member_gradients(TransformerImpl& network, double max_norm);

// One update: zero the gradients, back-propagate `loss` (the sum of the members' losses), clip per
// member, set the warm-up learning rate of step `step` (0-based), step the optimiser.
void train_step(TransformerImpl& network, torch::optim::Optimizer& optimizer, const OptimizerSettings& s,
                const torch::Tensor& loss, std::int64_t step);

}  // namespace cotdyn::simulation::transformer
