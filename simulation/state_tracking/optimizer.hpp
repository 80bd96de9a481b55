#pragma once
// Training a state-tracking network: one online step on a batch (docs/theory.md §2), with the
// optimiser outside the network (as in pytorch/examples: the network is an nn::Module with its loss, the
// step is a free function that calls the optimiser). Networks trained by autograd go through
// torch::optim, SGD or, with ablation.optimizer = "adam", Adam (betas 0.9, 0.999, epsilon 1e-8), with
// one parameter group per weight at its learning rate. The coefficient storage's closed-form step is
// the documented exception (StateTrackingNetwork::closed_form_step): it has no optimiser.
#include <memory>
#include <string>

#include <ATen/ATen.h>
#include <torch/optim/optimizer.h>

#include <cotdyn/simulation/state_tracking/ablation_settings.hpp>
#include <cotdyn/simulation/state_tracking/network.hpp>

namespace cotdyn::simulation {

// The two clocks of docs/theory.md §2: the logic learns at eta_W / d, the attention at eta_A / d.
struct LearningRates {
  double eta_W;
  double eta_A;
};

// The learning rate of a named weight of a d-dimensional network. SGD: the attention's weights (W_Q,
// W_K, and W_V, W_O, which shape what attention retrieves) move with eta_A / d; everything that sets
// the logit-space tensor T (the logic and the embeddings it is read through) with eta_W / d;
// single_lr puts every weight on eta_W / d. Adam: adam_lr for the logic and embeddings, and the
// attention keeps the ratio eta_A / eta_W of the two clocks (unless single_lr), so that switching the
// optimizer changes only the optimizer.
double learning_rate(const std::string& name, const AblationSettings& ablation, const LearningRates& rates, int d);

// The optimiser of a network's trained weights; nullptr for a network that trains in closed form.
std::unique_ptr<torch::optim::Optimizer> make_optimizer(StateTrackingNetwork& network,
                                                        const AblationSettings& ablation, const LearningRates& rates);

// One online step on actions [E, B, L], states [E, B, L+1] and training targets [E, B, L]
// (clean_targets(states), or noisy ones, docs/theory.md §16): the per-seed losses summed (seeds are
// independent, so each gets its own gradient), backward, the optimiser's step. Returns the per-seed
// loss [E] before the update.
at::Tensor train_step(StateTrackingNetwork& network, torch::optim::Optimizer* optimizer, const at::Tensor& actions,
                      const at::Tensor& states, const at::Tensor& targets, const LearningRates& rates);

}  // namespace cotdyn::simulation
