#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <torch/optim/adam.h>
#include <torch/optim/sgd.h>

#include <cotdyn/simulation/state_tracking/coefficient_logic_model.hpp>
#include <cotdyn/simulation/state_tracking/optimizer.hpp>
#include <cotdyn/simulation/state_tracking/tensor_logic_model.hpp>

#include <doctest/doctest.h>

using namespace cotdyn::simulation;

namespace {
const auto f64 = at::TensorOptions().dtype(at::kDouble);
constexpr int n = 24, K = 4, L = 9, d = 32;
const LearningRates rates{10.0, 2.0};
}  // namespace

TEST_CASE("learning rates: the two clocks eta_W / d and eta_A / d, single_lr, and Adam's ratio") {
  AblationSettings off;
  CHECK(learning_rate("W", off, rates, d) == 10.0 / d);
  CHECK(learning_rate("W_Q", off, rates, d) == 2.0 / d);
  CHECK(learning_rate("W_O", off, rates, d) == 2.0 / d);
  CHECK(learning_rate("unembedding", off, rates, d) == 10.0 / d);
  AblationSettings single;
  single.single_lr = true;
  CHECK(learning_rate("W_K", single, rates, d) == 10.0 / d);
  AblationSettings adam;
  adam.optimizer = OptimizerKind::adam;
  adam.adam_lr = 1e-3;
  CHECK(learning_rate("W_1", adam, rates, d) == 1e-3);
  CHECK(learning_rate("W_V", adam, rates, d) == doctest::Approx(1e-3 * 2.0 / 10.0).epsilon(1e-15));
}

TEST_CASE("make_optimizer: torch::optim with one group per weight, none for the closed-form storage") {
  const auto init = draw_initialisation(n, K, d, 0.01, {3});
  CoefficientLogicModel coefficients(init, L, f64);
  CHECK(make_optimizer(coefficients, {}, rates) == nullptr);

  TensorLogicModel tensor(init, L, f64);
  const auto sgd = make_optimizer(tensor, {}, rates);
  REQUIRE(dynamic_cast<torch::optim::SGD*>(sgd.get()) != nullptr);
  REQUIRE(sgd->param_groups().size() == tensor.parameters().size());
  for (std::size_t g = 0; g < sgd->param_groups().size(); ++g) {
    const auto& group = sgd->param_groups()[g];
    const auto name = tensor.named_parameters().keys()[g];
    CAPTURE(name);
    CHECK(group.params().at(0).is_same(tensor.named_parameters()[name]));
    CHECK(static_cast<const torch::optim::SGDOptions&>(group.options()).lr() == learning_rate(name, {}, rates, d));
  }
  AblationSettings adam;
  adam.optimizer = OptimizerKind::adam;
  CHECK(dynamic_cast<torch::optim::Adam*>(make_optimizer(tensor, adam, rates).get()) != nullptr);
}

TEST_CASE("train_step: the SGD step of the tensor storage is W <- W - lr dL/dW with each weight's rate") {
  const auto init = draw_initialisation(n, K, d, 1.0, {3});
  TensorLogicModel model(init, L, f64);
  {
    at::NoGradGuard no_grad;  // a non-zero logic, so that the attention feels a force
    model.logic_tensor().normal_(0.0, 0.1, at::make_generator<at::CPUGeneratorImpl>(8));
  }
  at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(4);
  at::Tensor actions = at::randint(K, {1, 2, L}, generator, at::TensorOptions().dtype(at::kLong));
  at::Tensor states = at::randint(n, {1, 2, L + 1}, generator, at::TensorOptions().dtype(at::kLong));
  model.loss(actions, states, clean_targets(states)).sum().backward();
  std::vector<at::Tensor> expected;
  for (const auto& p : model.named_parameters())
    expected.push_back((p.value() - learning_rate(p.key(), {}, rates, d) * p.value().grad()).detach());
  for (const auto& p : model.parameters()) p.mutable_grad().zero_();
  const auto optimizer = make_optimizer(model, {}, rates);
  const at::Tensor loss = train_step(model, optimizer.get(), actions, states, clean_targets(states), rates);
  CHECK(loss.size(0) == 1);
  std::size_t i = 0;
  for (const auto& p : model.named_parameters()) {
    CAPTURE(p.key());
    // One rounding of a fused multiply-add, or two: equal to the last bits.
    CHECK(at::allclose(p.value(), expected[i++], 1e-15, 1e-18));
    CHECK(p.value().grad().abs().max().item<double>() == 0.0);  // the gradients are cleared after the step
  }
}
