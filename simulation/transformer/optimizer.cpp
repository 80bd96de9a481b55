#include <cotdyn/simulation/transformer/optimizer.hpp>

namespace cotdyn::simulation::transformer {

std::unique_ptr<torch::optim::Optimizer> make_optimizer(TransformerImpl& network, const OptimizerSettings& s) {
  validate(s, "optimizer");
  if (s.weight_decay == 0)
    return std::make_unique<torch::optim::Adam>(
        network.parameters(), torch::optim::AdamOptions(s.lr).betas({s.beta1, s.beta2}).eps(s.eps));
  // Decoupled weight decay on the matrices and tables ([E, a, b]), none on biases and LayerNorm
  // gains and biases ([E, n]): the GPT convention (docs/models/transformer.md, "Training").
  std::vector<torch::Tensor> decayed, kept;
  for (const auto& p : network.parameters()) (p.dim() >= 3 ? decayed : kept).push_back(p);
  auto options = [&](double decay) {
    return std::make_unique<torch::optim::AdamWOptions>(
        torch::optim::AdamWOptions(s.lr).betas({s.beta1, s.beta2}).eps(s.eps).weight_decay(decay));
  };
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(decayed, options(s.weight_decay));
  groups.emplace_back(kept, options(0.0));
  return std::make_unique<torch::optim::AdamW>(std::move(groups), *options(s.weight_decay));
}

void clip_member_gradients(TransformerImpl& network, double max_norm) {
  const auto parameters = network.parameters();
  torch::Tensor squared;
  for (const auto& p : parameters) {
    if (!p.grad().defined()) continue;
    const torch::Tensor s = p.grad().pow(2).flatten(1).sum(1);  // [E]
    squared = squared.defined() ? squared + s : s;
  }
  if (!squared.defined()) return;
  const torch::Tensor scale = torch::clamp_max(max_norm / (squared.sqrt() + 1e-6), 1.0);
  for (const auto& p : parameters) {
    if (!p.grad().defined()) continue;
    std::vector<std::int64_t> shape(p.dim(), 1);
    shape.front() = p.size(0);
    p.grad().mul_(scale.view(shape));
  }
}

void train_step(TransformerImpl& network, torch::optim::Optimizer& optimizer, const OptimizerSettings& s,
                const torch::Tensor& loss, std::int64_t step) {
  optimizer.zero_grad();
  loss.backward();
  if (s.clip_norm > 0) clip_member_gradients(network, s.clip_norm);
  const double lr = learning_rate(s, step);
  for (auto& group : optimizer.param_groups()) {
    if (s.weight_decay == 0)
      static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
    else
      static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
  }
  optimizer.step();
}

}  // namespace cotdyn::simulation::transformer
