#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/core/grad_mode.h>

#include <cotdyn/simulation/state_tracking/coefficient_logic_model.hpp>
#include <cotdyn/simulation/state_tracking/measure.hpp>
#include <cotdyn/simulation/state_tracking/system.hpp>
#include <cotdyn/tests/simulation/state_tracking/simulation_test_helpers.hpp>
#include <cotdyn/simulation/state_tracking/tensor_logic_model.hpp>

// c10 logging (glog) defines CHECK; the assertions here are doctest's.
#undef CHECK
#include <doctest/doctest.h>

using namespace cotdyn::simulation;

namespace {

const auto f64 = at::TensorOptions().dtype(at::kDouble);

// A batch of sequences [1, B, L] / [1, B, L+1] from the task.
std::pair<at::Tensor, at::Tensor> sample_batch(const cotdyn::task::PermutationTask& task, int B, int L, int seed) {
  EvaluationSet set = make_evaluation_set(task, L, B, seed, at::kCPU);
  return {set.actions.unsqueeze(0), set.states.unsqueeze(0)};
}

at::Tensor mean_loss(const StateTrackingModel& model, const at::Tensor& actions, const at::Tensor& states) {
  const auto L = actions.size(2);
  at::Tensor w = model.action_weights(model.attention(), actions);
  at::Tensor z = model.logits(w, states.narrow(2, 0, L).reshape({1, -1}));
  at::Tensor target = states.narrow(2, 1, L).reshape({1, -1});
  return (z.logsumexp(2) - z.gather(2, target.unsqueeze(2)).squeeze(2)).mean();
}

// Embeddings that are orthonormal (rows of the identity): then T = C exactly.
ModelInitialisation orthonormal_initialisation(int n, int K, int d) {
  at::Tensor eye = at::eye(d, f64);
  at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(5);
  return {eye.narrow(0, 0, n).unsqueeze(0), eye.narrow(0, n, K).unsqueeze(0),
          at::randn({1, d, d}, generator, f64) * 0.1, at::randn({1, d, d}, generator, f64) * 0.1};
}

}  // namespace

TEST_CASE("tensor model: autograd gradients match central finite differences") {
  const auto task = default_permutation_task();
  const int n = 24, K = 4, L = 9, d = 32;
  auto init = draw_initialisation(n, K, d, 1.0, {3});  // sigma2 = 1: a non-trivial attention
  TensorLogicModel model(init, L, f64);
  at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(17);
  {
    at::NoGradGuard no_grad;  // a non-zero logic tensor so that every gradient is non-trivial
    model.logic_tensor().copy_(at::randn({1, d, d, d}, generator, f64) * 0.3);
  }
  auto [actions, states] = sample_batch(task, 4, L, 99);
  at::Tensor loss = mean_loss(model, actions, states);
  loss.backward();
  for (const at::Tensor* parameter : {&model.logic_tensor(), &model.query_weight(), &model.key_weight()}) {
    at::Tensor p = *parameter;
    at::Tensor gradient = p.grad().clone();
    for (int trial = 0; trial < 3; ++trial) {
      // Half along the gradient, half random: a purely random direction in R^(d^3) is nearly
      // orthogonal to the gradient, which lives in an n K n dimensional subspace.
      at::Tensor direction = at::randn(p.sizes(), generator, f64);
      direction = direction / direction.norm() + gradient / gradient.norm();
      direction /= direction.norm();
      const double h = 1e-5;
      double plus, minus;
      {
        at::NoGradGuard no_grad;
        p.add_(direction, h);
        plus = mean_loss(model, actions, states).item<double>();
        p.add_(direction, -2 * h);
        minus = mean_loss(model, actions, states).item<double>();
        p.add_(direction, h);
      }
      const double numeric = (plus - minus) / (2 * h);
      const double analytic = (gradient * direction).sum().item<double>();
      CAPTURE(trial);
      CHECK(std::abs(numeric - analytic) <= 1e-7 * std::max(1.0, std::abs(analytic)));
      CHECK(std::abs(analytic) > 1e-6);  // the check is not vacuous
    }
  }
}

TEST_CASE("a logic tensor equal to the teacher gives R = 1, Q = P = 0") {
  const auto task = default_permutation_task();
  const int n = 24, K = 4, L = 9, d = 32;
  const at::Tensor transition = transition_table(task, at::kCPU);
  at::Tensor teacher = at::one_hot(transition, n).permute({2, 0, 1}).to(f64).unsqueeze(0);  // [1, n, K, n]

  SUBCASE("coefficient class means of the teacher") {
    at::Tensor means = class_means(teacher, transition);
    CHECK(means[0][0].item<double>() == doctest::Approx(1.0).epsilon(1e-15));
    CHECK(std::abs(means[0][1].item<double>()) < 1e-15);
    CHECK(std::abs(means[0][2].item<double>()) < 1e-15);
  }
  SUBCASE("full tensor with random embeddings: dual bases recover the coefficients") {
    auto init = draw_initialisation(n, K, d, 0.01, {8});
    TensorLogicModel model(init, L, f64);
    {
      at::NoGradGuard no_grad;
      // W = sum_{a,s} u_{pi_a(s)} (x) e_a (x) u_s
      at::Tensor W = at::einsum("xat,xi,aj,tk->ijk", {teacher[0], init.state_embedding[0], init.action_embedding[0],
                                                        init.state_embedding[0]});
      model.logic_tensor().copy_(W.unsqueeze(0));
    }
    at::Tensor C = model.coefficients();
    CHECK((C - teacher).abs().max().item<double>() < 1e-10);
    at::Tensor means = class_means(C, transition);
    CHECK(means[0][0].item<double>() == doctest::Approx(1.0).epsilon(1e-10));
    CHECK(std::abs(means[0][1].item<double>()) < 1e-10);
    CHECK(std::abs(means[0][2].item<double>()) < 1e-10);
  }
  SUBCASE("orthonormal embeddings: logit space equals coefficient space") {
    CoefficientLogicModel model(orthonormal_initialisation(n, K, d), L, f64);
    at::NoGradGuard no_grad;
    model.coefficients().copy_(teacher);  // shares the model's storage
    at::Tensor T = model.logit_tensor();
    CHECK((T - teacher).abs().max().item<double>() < 1e-15);
    at::Tensor means = class_means(T, transition);
    CHECK(means[0][0].item<double>() == doctest::Approx(1.0));
    CHECK(std::abs(means[0][1].item<double>()) < 1e-15);
  }
}

TEST_CASE("with label noise the tensor and coefficient storages train on the same noisy targets (100 steps, 1e-9)") {
  auto settings = testing::small_settings(32, 100.0 / 32);
  settings.eval_sequences = 100;
  settings.label_noise = 0.5;  // docs/theory.md §16
  auto clean_settings = settings;
  clean_settings.label_noise = 0;
  auto tensor_settings = settings;
  tensor_settings.logic = LogicStorage::tensor;
  auto coefficient_system = make_permutation_tracking_system(settings);
  auto tensor_system = make_permutation_tracking_system(tensor_settings);
  auto clean_system = make_permutation_tracking_system(clean_settings);
  double largest_gap_to_clean = 0;
  for (int step = 0; step < 100; ++step) {
    const auto loss_c = coefficient_system->train_step();
    const auto loss_t = tensor_system->train_step();
    const auto loss_clean = clean_system->train_step();
    for (std::size_t e = 0; e < loss_c.size(); ++e) {
      REQUIRE(std::abs(loss_c[e] - loss_t[e]) < 1e-9);
      largest_gap_to_clean = std::max(largest_gap_to_clean, std::abs(loss_c[e] - loss_clean[e]));
    }
  }
  // The noisy targets are the ones trained on (at step 0 every logit is 0 and both losses are log n).
  CHECK(largest_gap_to_clean > 1e-3);
  at::NoGradGuard no_grad;
  const auto gap = (model_of(*coefficient_system).coefficients() - model_of(*tensor_system).coefficients()).abs().max();
  CHECK(gap.item<double>() < 1e-9);
}

TEST_CASE("tensor and coefficient storages train the same model (float64, 300 steps, 1e-9)") {
  auto settings = testing::small_settings(32, 300.0 / 32);
  settings.eval_sequences = 100;
  auto coefficient_settings = settings, tensor_settings = settings;
  tensor_settings.logic = LogicStorage::tensor;
  auto coefficient_system = make_permutation_tracking_system(coefficient_settings);
  auto tensor_system = make_permutation_tracking_system(tensor_settings);
  for (int step = 0; step < 300; ++step) {
    const auto loss_c = coefficient_system->train_step();
    const auto loss_t = tensor_system->train_step();
    for (std::size_t e = 0; e < loss_c.size(); ++e) REQUIRE(std::abs(loss_c[e] - loss_t[e]) < 1e-9);
  }
  auto& coefficient_model = model_of(*coefficient_system);
  auto& tensor_model = model_of(*tensor_system);
  auto max_difference = [](const at::Tensor& a, const at::Tensor& b) { return (a - b).abs().max().item<double>(); };
  at::NoGradGuard no_grad;
  CHECK(max_difference(coefficient_model.query(), tensor_model.query()) < 1e-9);
  CHECK(max_difference(coefficient_model.key(), tensor_model.key()) < 1e-9);
  CHECK(max_difference(coefficient_model.coefficients(), tensor_model.coefficients()) < 1e-9);
  CHECK(max_difference(coefficient_model.logit_tensor(), tensor_model.logit_tensor()) < 1e-9);
  // Each storage's own forward pass on fresh sequences.
  const auto task = default_permutation_task();
  EvaluationSet batch = make_evaluation_set(task, 9, 16, 123, at::kCPU);
  at::Tensor actions = batch.actions.unsqueeze(0).expand({2, 16, 9});
  at::Tensor s_cur = batch.states.narrow(1, 0, 9).reshape({1, -1}).expand({2, 16 * 9});
  at::Tensor z_c = coefficient_model.logits(coefficient_model.action_weights(coefficient_model.attention(), actions), s_cur);
  at::Tensor z_t = tensor_model.logits(tensor_model.action_weights(tensor_model.attention(), actions), s_cur);
  CHECK(z_c.abs().max().item<double>() > 0.1);  // the logic module has learned something
  CHECK(max_difference(z_c, z_t) < 1e-9);
  const auto observed_c = coefficient_system->observe();
  const auto observed_t = tensor_system->observe();
  for (std::size_t e = 0; e < observed_c.size(); ++e)
    for (std::size_t c = 0; c < observed_c[e].size(); ++c) {
      CAPTURE(coefficient_system->observable_names()[c]);
      CHECK(std::abs(observed_c[e][c] - observed_t[e][c]) < 1e-9);
    }
}

TEST_CASE("the logits from the logit tensor: the CPU loop gives the tensor path's numbers bit for bit") {
  // logits_from_logit_tensor takes one pass per query on the CPU; with a tensor that needs a gradient
  // it takes the tensor path (K index_selects, products and sums). Same products, same order of sums.
  at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(13);
  for (const auto dtype : {at::kDouble, at::kFloat}) {
    const auto options = at::TensorOptions().dtype(dtype);
    const std::int64_t E = 3, n = 24, K = 4, Q = 500;
    const at::Tensor T = at::randn({E, n, K, n}, generator, options);
    const at::Tensor w = at::rand({E, Q, K}, generator, options);
    const at::Tensor s = at::randint(n, {E, Q}, generator, at::TensorOptions().dtype(at::kLong));
    const at::Tensor loop = cotdyn::simulation::logits_from_logit_tensor(T, w, s);
    at::Tensor reference;
    {
      at::AutoGradMode enable(true);
      reference = cotdyn::simulation::logits_from_logit_tensor(T.clone().requires_grad_(true), w, s).detach();
    }
    CHECK(loop.sizes() == reference.sizes());
    CHECK(at::equal(loop, reference));
    // And a strided w (the roll-out passes a view of one position).
    const at::Tensor wide = at::rand({E, Q, 2, K}, generator, options);
    at::Tensor strided_reference;
    {
      at::AutoGradMode enable(true);
      strided_reference =
          cotdyn::simulation::logits_from_logit_tensor(T.clone().requires_grad_(true), wide.select(2, 1), s).detach();
    }
    CHECK(at::equal(cotdyn::simulation::logits_from_logit_tensor(T, wide.select(2, 1), s), strided_reference));
  }
}
