#include <cotdyn/simulation/state_tracking/optimizer.hpp>

#include <vector>

#include <ATen/core/grad_mode.h>
#include <torch/optim/adam.h>
#include <torch/optim/sgd.h>

namespace cotdyn::simulation {

double learning_rate(const std::string& name, const AblationSettings& ablation, const LearningRates& rates, int d) {
  const bool attention = StateTrackingNetwork::is_attention_weight(name) && !ablation.single_lr;
  if (ablation.optimizer == OptimizerKind::adam) return attention ? ablation.adam_lr * rates.eta_A / rates.eta_W : ablation.adam_lr;
  return (attention ? rates.eta_A : rates.eta_W) / d;
}

std::unique_ptr<torch::optim::Optimizer> make_optimizer(StateTrackingNetwork& network,
                                                        const AblationSettings& ablation, const LearningRates& rates) {
  if (network.trains_in_closed_form()) return nullptr;
  const bool adam = ablation.optimizer == OptimizerKind::adam;
  std::vector<torch::optim::OptimizerParamGroup> groups;
  for (const auto& p : network.named_parameters()) {
    const double lr = learning_rate(p.key(), ablation, rates, network.d());
    if (adam)
      groups.emplace_back(std::vector<at::Tensor>{p.value()}, std::make_unique<torch::optim::AdamOptions>(lr));
    else
      groups.emplace_back(std::vector<at::Tensor>{p.value()}, std::make_unique<torch::optim::SGDOptions>(lr));
  }
  if (adam) return std::make_unique<torch::optim::Adam>(std::move(groups), torch::optim::AdamOptions(ablation.adam_lr));
  return std::make_unique<torch::optim::SGD>(std::move(groups), torch::optim::SGDOptions(rates.eta_W / network.d()));
}

at::Tensor train_step(StateTrackingNetwork& network, torch::optim::Optimizer* optimizer, const at::Tensor& actions,
                      const at::Tensor& states, const at::Tensor& targets, const LearningRates& rates) {
  if (!optimizer) return network.closed_form_step(actions, states, targets, rates.eta_W, rates.eta_A);
  at::Tensor loss = network.loss(actions, states, targets);
  loss.sum().backward();
  optimizer->step();
  optimizer->zero_grad();
  return loss.detach();
}

}  // namespace cotdyn::simulation
