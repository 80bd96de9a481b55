// The general model of the [ablation] switches: all off it is the solvable model, each switch changes
// what it should, its gradients are right, bad settings are named, and every switch trains, measures
// and resumes.
#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/core/grad_mode.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include <cotdyn/simulation/state_tracking/general_transformer_model.hpp>
#include <cotdyn/simulation/state_tracking/measure.hpp>
#include <cotdyn/simulation/state_tracking/optimizer.hpp>
#include <cotdyn/simulation/state_tracking/system.hpp>
#include <cotdyn/simulation/state_tracking/tensor_logic_model.hpp>
#include <cotdyn/simulation/state_tracking/train.hpp>
#include <cotdyn/tests/simulation/state_tracking/simulation_test_helpers.hpp>

// c10 logging (glog) defines CHECK; the assertions here are doctest's.
#undef CHECK
#include <doctest/doctest.h>

using namespace cotdyn::simulation;
using testing::quiet;
using testing::read_text;
namespace fs = std::filesystem;

namespace {

const auto f64 = at::TensorOptions().dtype(at::kDouble);
LogicModuleKind logic_kind(const std::string& name) {
  return cotdyn::core::parse_choice("ablation.logic_module", name, logic_module_names);
}
constexpr int n = 24, K = 4, L = 9;

// A batch of sequences [1, B, L] / [1, B, L+1] from the task.
std::pair<at::Tensor, at::Tensor> sample_batch(int B, int seed) {
  EvaluationSet set = make_evaluation_set(default_permutation_task(), L, B, seed, at::kCPU);
  return {set.actions.unsqueeze(0), set.states.unsqueeze(0)};
}

GeneralTransformerModel make_model(const AblationSettings& ablation, int d = 32, double sigma2 = 0.01,
                                   std::uint64_t seed = 3) {
  return GeneralTransformerModel(draw_initialisation(n, K, d, sigma2, {seed}), {seed}, L, ablation, f64);
}

at::Tensor mean_loss(const GeneralTransformerModel& model, const at::Tensor& actions, const at::Tensor& states) {
  at::Tensor z = model.logits(actions, states.narrow(2, 0, L), 1, L).reshape({1, -1, n});
  at::Tensor target = states.narrow(2, 1, L).reshape({1, -1});
  return (z.logsumexp(2) - z.gather(2, target.unsqueeze(2)).squeeze(2)).mean();
}

double max_difference(const at::Tensor& a, const at::Tensor& b) { return (a - b).abs().max().item<double>(); }


std::string message_of(const SimulationSettings& settings) {
  try {
    validate(settings);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no exception";
}

// One switch on at a time, and all of them at once with each logic module.
std::vector<std::pair<std::string, AblationSettings>> switch_settings() {
  std::vector<std::pair<std::string, AblationSettings>> all;
  AblationSettings a;
  a.train_embeddings = true;
  all.emplace_back("train_embeddings", a);
  a = {};
  a.content_qk = true;
  all.emplace_back("content_qk", a);
  a = {};
  a.rope = RopeSchedule::geometric;
  all.emplace_back("rope=geometric", a);
  a = {};
  a.causal_attention = true;
  all.emplace_back("causal_attention", a);
  a = {};
  a.logic_module = LogicModuleKind::mlp;
  all.emplace_back("logic_module=mlp", a);
  a = {};
  a.logic_module = LogicModuleKind::bilinear_residual;
  all.emplace_back("logic_module=bilinear_residual", a);
  a = {};
  a.single_lr = true;
  all.emplace_back("single_lr", a);
  a = {};
  a.optimizer = OptimizerKind::adam;
  all.emplace_back("optimizer=adam", a);
  a = {};
  a.logic_init = 0.3;
  all.emplace_back("logic_init", a);
  for (const std::string logic : {"bilinear", "bilinear_residual", "mlp"}) {
    AblationSettings every;
    every.train_embeddings = every.content_qk = every.causal_attention = every.single_lr = true;
    every.rope = RopeSchedule::geometric;
    every.logic_module = logic_kind(logic);
    every.mlp_width = 48;
    every.optimizer = OptimizerKind::adam;
    every.logic_init = 0.1;
    all.emplace_back("all on, logic_module=" + logic, every);
  }
  return all;
}

}  // namespace

TEST_CASE("all switches off, the general model trains as the tensor storage (float64, 300 steps, 1e-9)") {
  auto settings = testing::small_settings(32, 300.0 / 32);
  settings.eval_sequences = 100;
  auto tensor_settings = settings;
  tensor_settings.logic = LogicStorage::tensor;
  auto tensor_system = make_permutation_tracking_system(tensor_settings);
  auto general_system = make_ablation_system(settings);
  for (int step = 0; step < 300; ++step) {
    const auto loss_t = tensor_system->train_step();
    const auto loss_g = general_system->train_step();
    for (std::size_t e = 0; e < loss_t.size(); ++e) REQUIRE(std::abs(loss_t[e] - loss_g[e]) < 1e-9);
  }
  auto& tensor_model = dynamic_cast<TensorLogicModel&>(model_of(*tensor_system));
  auto& general_model = general_model_of(*general_system);
  at::NoGradGuard no_grad;
  CHECK(max_difference(tensor_model.query_weight(), general_model.weight("W_Q")) < 1e-9);
  CHECK(max_difference(tensor_model.key_weight(), general_model.weight("W_K")) < 1e-9);
  CHECK(max_difference(tensor_model.logic_tensor(), general_model.weight("W").transpose(1, 2)) < 1e-9);  // [j, i, k]
  CHECK(tensor_model.logic_tensor().abs().max().item<double>() > 1e-3);  // it has learned something
  const auto observed_t = tensor_system->observe();
  const auto observed_g = general_system->observe();
  for (std::size_t e = 0; e < observed_t.size(); ++e)
    for (std::size_t c = 0; c < observed_t[e].size(); ++c) {
      CAPTURE(tensor_system->observable_names()[c]);
      CHECK(std::abs(observed_t[e][c] - observed_g[e][c]) < 1e-9);
    }
}

TEST_CASE("all switches off, make_permutation_tracking_system keeps the solvable model's own code") {
  auto settings = testing::small_settings(32, 1.0);
  auto system = make_permutation_tracking_system(settings);
  CHECK_NOTHROW(model_of(*system));  // a StateTrackingModel, not the general model
  settings.ablation.content_qk = true;
  auto general = make_permutation_tracking_system(settings);
  CHECK_NOTHROW(general_model_of(*general));
}

TEST_CASE("rope = geometric makes the wrong-lag scores non-exchangeable") {
  auto [actions, states] = sample_batch(2, 5);
  auto spreads = [&](RopeSchedule rope) {
    AblationSettings a;
    a.rope = rope;
    if (rope == RopeSchedule::period) a.single_lr = true;  // any switch: the general model with period-L RoPE
    const auto model = make_model(a, 32, 1.0);
    at::NoGradGuard no_grad;
    at::Tensor S = model.attend(actions, states.narrow(2, 0, L), 1, L).scores[0][0];  // [query t, key j]
    // Scores grouped by the residue r = (t - j) mod L: the same multiset for every query iff they
    // depend on the residue only.
    double residue_spread = 0;
    for (int r = 0; r < L; ++r) {
      std::vector<double> same;
      for (int t = 0; t < L; ++t) same.push_back(S[t][(t - r + L) % L].item<double>());
      residue_spread = std::max(residue_spread, *std::max_element(same.begin(), same.end()) -
                                                    *std::min_element(same.begin(), same.end()));
    }
    // docs/theory.md §3: identity: mean wrong-lag score = -(correct score) / (L - 1), per query.
    double identity_gap = 0;
    for (int t = 0; t < L; ++t) {
      const double correct = S[t][t].item<double>();
      const double wrong = (S[t].sum().item<double>() - correct) / (L - 1);
      identity_gap = std::max(identity_gap, std::abs(wrong + correct / (L - 1)));
    }
    return std::make_pair(residue_spread, identity_gap);
  };
  const auto [period_spread, period_gap] = spreads(RopeSchedule::period);
  const auto [geometric_spread, geometric_gap] = spreads(RopeSchedule::geometric);
  CHECK(period_spread < 1e-13);
  CHECK(period_gap < 1e-13);
  CHECK(geometric_spread > 1e-2);  // |q| ~ |k| ~ 1: scores O(1)
  CHECK(geometric_gap > 1e-2);
}

TEST_CASE("train_embeddings moves the state and action embeddings and unties the unembedding") {
  auto settings = testing::small_settings(32, 1.0);
  settings.seeds = 1;
  settings.ablation.train_embeddings = true;
  auto system = make_ablation_system(settings);
  auto& model = general_model_of(*system);
  const at::Tensor U0 = model.state_embedding().detach().clone(), E0 = model.action_embedding().detach().clone();
  CHECK(max_difference(model.unembedding(), U0) == 0.0);  // the unembedding starts at U
  for (int step = 0; step < 20; ++step) system->train_step();
  at::NoGradGuard no_grad;
  CHECK(max_difference(model.state_embedding(), U0) > 1e-6);
  CHECK(max_difference(model.action_embedding(), E0) > 1e-6);
  CHECK(max_difference(model.unembedding(), model.state_embedding()) > 1e-6);
}

TEST_CASE("causal_attention attends to state tokens, and a query never reads later tokens") {
  AblationSettings a;
  a.causal_attention = true;
  const auto model = make_model(a);
  auto [actions, states] = sample_batch(3, 6);
  at::Tensor tokens = states.narrow(2, 0, L).contiguous();
  {
  at::NoGradGuard no_grad;
  const auto attention = model.attend(actions, tokens, 1, L);
  REQUIRE(attention.weights.size(3) == 2 * L);
  for (int t = 1; t <= L; ++t) {
    // sigma2 = 0.01: nearly uniform over the L actions and the t states s_0 .. s_{t-1}.
    const double on_states = attention.weights.select(2, t - 1).narrow(2, L, L).sum(2).mean().item<double>();
    CHECK(on_states == doctest::Approx(static_cast<double>(t) / (L + t)).epsilon(0.05));
    if (t < L) CHECK(attention.weights.select(2, t - 1).narrow(2, L + t, L - t).abs().max().item<double>() == 0.0);
  }
  // Changing the tokens after s_{t-1} leaves query t unchanged; changing s_{t-1} does not.
  const int t = 4;
  at::Tensor later = tokens.clone();
  later.narrow(2, t, L - t).fill_(0);
  at::Tensor z = model.logits(actions, tokens, t, 1), z_later = model.logits(actions, later, t, 1);
  CHECK(max_difference(z, z_later) == 0.0);
  at::Tensor teacher_forced = model.logits(actions, tokens, 1, L).narrow(2, t - 1, 1);
  CHECK(max_difference(z, teacher_forced) < 1e-14);
  }
  // After training, W_V and W_O have left the identity.
  auto settings = testing::small_settings(32, 1.0);
  settings.seeds = 1;
  settings.ablation = a;
  auto system = make_ablation_system(settings);
  for (int step = 0; step < 20; ++step) system->train_step();
  const at::Tensor eye = at::eye(32, f64);
  CHECK(max_difference(general_model_of(*system).weight("W_V")[0], eye) > 1e-8);
  CHECK(max_difference(general_model_of(*system).weight("W_O")[0], eye) > 1e-8);
}

TEST_CASE("content_qk makes the attention scores depend on the tokens") {
  auto [actions, states] = sample_batch(8, 7);
  at::Tensor tokens = states.narrow(2, 0, L);
  AblationSettings a;
  a.content_qk = true;
  const auto content = make_model(a, 32, 1.0);
  a.content_qk = false;
  a.single_lr = true;  // the general model with beacon-only query and key
  const auto positional = make_model(a, 32, 1.0);
  at::NoGradGuard no_grad;
  at::Tensor S_content = content.attend(actions, tokens, 1, L).scores[0];      // [N, L, L]
  at::Tensor S_positional = positional.attend(actions, tokens, 1, L).scores[0];  // [1, L, L]: one for all
  CHECK(S_positional.size(0) == 1);
  // Across sequences, the content scores differ by O(1) (|q| ~ |k| ~ 1).
  CHECK((S_content - S_content[0]).abs().max().item<double>() > 1e-2);
  // The beacon part of the content model's query and key is that of the positional model: M agrees.
  CHECK(max_difference(content.retrieval_score(), positional.retrieval_score()) < 1e-15);
}

TEST_CASE("logic_init gives T(0) of the requested standard deviation for every logic module") {
  for (const std::string logic : {"bilinear", "bilinear_residual", "mlp"}) {
    CAPTURE(logic);
    AblationSettings a;
    a.logic_module = logic_kind(logic);
    a.logic_init = 0.5;
    GeneralTransformerModel model(draw_initialisation(n, K, 32, 0.01, {4, 5}), {4, 5}, L, a, f64);
    at::NoGradGuard no_grad;
    at::Tensor T = model.logit_tensor();
    at::Tensor spread = T.reshape({2, -1}).std(1, /*unbiased=*/false);
    CHECK(spread[0].item<double>() == doctest::Approx(0.5).epsilon(1e-12));
    CHECK(spread[1].item<double>() == doctest::Approx(0.5).epsilon(1e-12));
    CHECK(max_difference(T[0], T[1]) > 0.1);  // each seed draws its own
    if (logic == "bilinear") {
      // With unit-norm embeddings Var T = Var W_ijk: the rescaling is a small correction.
      const double weight_spread = model.weight("W").std(/*unbiased=*/false).item<double>();
      CHECK(weight_spread == doctest::Approx(0.5).epsilon(0.1));
    }
    a.logic_init = 0;
    GeneralTransformerModel zero(draw_initialisation(n, K, 32, 0.01, {4}), {4}, L, a, f64);
    CHECK(zero.logit_tensor().abs().max().item<double>() == 0.0);
  }
}

TEST_CASE("single_lr and optimizer = adam change the update as documented") {
  auto [actions, states] = sample_batch(4, 8);
  const LearningRates rates{10.0, 2.0};
  auto step_of = [&](const AblationSettings& a, const std::string& name) {
    auto model = make_model(a, 32, 1.0);
    const at::Tensor before = model.weight(name).detach().clone();
    const auto optimizer = make_optimizer(model, a, rates);
    train_step(model, optimizer.get(), actions, states, clean_targets(states), rates);
    return (model.weight(name).detach() - before);
  };
  AblationSettings base;
  base.logic_init = 0.5;  // a non-zero logic: at W = 0 the attention feels no force (docs/theory.md §4)
  AblationSettings single = base;
  single.single_lr = true;
  // One step from the same weights: the attention moves eta_W / eta_A = 5 times further, the logic
  // the same.
  CHECK(max_difference(step_of(single, "W_Q"), 5.0 * step_of(base, "W_Q")) < 1e-15);
  CHECK(max_difference(step_of(single, "W"), step_of(base, "W")) < 1e-15);
  CHECK(step_of(base, "W_Q").abs().max().item<double>() > 1e-6);

  // Adam's first step is -lr * g / (|g| + eps): each entry moves by lr unless its gradient is ~eps.
  AblationSettings adam = base;
  adam.optimizer = OptimizerKind::adam;
  adam.adam_lr = 1e-3;
  auto model = make_model(adam, 32, 1.0);
  const at::Tensor W_Q0 = model.weight("W_Q").detach().clone(), W0 = model.weight("W").detach().clone();
  at::Tensor loss = mean_loss(model, actions, states);
  loss.backward();
  const at::Tensor gradient_Q = model.weight("W_Q").grad().clone(), gradient_W = model.weight("W").grad().clone();
  model.weight("W_Q").mutable_grad().zero_();
  model.weight("W").mutable_grad().zero_();
  const auto optimizer = make_optimizer(model, adam, rates);
  train_step(model, optimizer.get(), actions, states, clean_targets(states), rates);
  at::NoGradGuard no_grad;
  auto check_first_adam_step = [](const at::Tensor& step, const at::Tensor& gradient, double lr) {
    at::Tensor large = gradient.abs() > 1e-3;
    REQUIRE(large.sum().item<std::int64_t>() > 10);
    at::Tensor expected = -lr * gradient.sign();
    CHECK((step - expected).masked_select(large).abs().max().item<double>() < 1e-4 * lr);
  };
  check_first_adam_step(model.weight("W_Q") - W_Q0, gradient_Q, 1e-3 * 2.0 / 10.0);  // attention: adam_lr eta_A / eta_W
  check_first_adam_step(model.weight("W") - W0, gradient_W, 1e-3);
}

TEST_CASE("autograd gradients of every component match central finite differences") {
  auto [actions, states] = sample_batch(3, 9);
  at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(21);
  for (const std::string logic : {"bilinear", "bilinear_residual", "mlp"}) {
    AblationSettings a;
    a.train_embeddings = a.content_qk = a.causal_attention = true;
    a.rope = RopeSchedule::geometric;
    a.logic_module = logic_kind(logic);
    a.mlp_width = 40;
    a.mlp_activation = MlpActivation::tanh;
    a.logic_init = 1.0;  // a non-zero logic, so that every gradient is non-trivial
    auto model = make_model(a, 32, 1.0);
    {
      at::NoGradGuard no_grad;  // W_V, W_O away from the identity
      model.weight("W_V").add_(at::randn({1, 32, 32}, generator, f64) * 0.1);
      model.weight("W_O").add_(at::randn({1, 32, 32}, generator, f64) * 0.1);
      if (logic == "mlp") model.weight("b_1").add_(at::randn({1, 40}, generator, f64) * 0.3);
    }
    at::Tensor loss = mean_loss(model, actions, states);
    loss.backward();
    for (const auto& parameter : model.named_parameters()) {
      CAPTURE(logic);
      CAPTURE(parameter.key());
      at::Tensor p = parameter.value();
      at::Tensor gradient = p.grad().clone();
      REQUIRE(gradient.norm().item<double>() > 1e-8);
      for (int trial = 0; trial < 2; ++trial) {
        // Half along the gradient, half random (a random direction alone is nearly orthogonal to it).
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
        CHECK(std::abs(analytic) > 1e-8);
      }
    }
  }
}

TEST_CASE("invalid ablation settings name the key, the value and what is allowed") {
  auto s = testing::small_settings();
  auto ablation_message = [](const AblationSettings& a, int d) {
    try {
      validate(a, d, L);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no exception");
  };
  AblationSettings a;
  a.rope = RopeSchedule::geometric;
  CHECK(ablation_message(a, 33).find("ablation.rope") != std::string::npos);
  a = {};
  a.mlp_width = -1;
  CHECK(ablation_message(a, 32).find("ablation.mlp_width") != std::string::npos);
  a = {};
  a.logic_init = -0.1;
  CHECK(ablation_message(a, 32).find("ablation.logic_init") != std::string::npos);

  auto bad = s;
  bad.ablation.causal_attention = true;
  bad.device = DeviceKind::cuda;  // the general model is CPU-only, whether or not CUDA is available
  CHECK(message_of(bad).find("model.device") != std::string::npos);
  CHECK(message_of(bad).find("ablation") != std::string::npos);
  bad = s;
  bad.ablation.optimizer = OptimizerKind::adam;
  bad.eta_W = 0;  // Adam's attention step is adam_lr eta_A / eta_W
  CHECK(message_of(bad).find("train.eta_W") != std::string::npos);
  bad.ablation.single_lr = true;  // one step for all: fine
  CHECK(message_of(bad) == "no exception");
}

TEST_CASE("every switch, alone and all together, trains and measures finite values") {
  for (const auto& [name, ablation] : switch_settings()) {
    CAPTURE(name);
    auto settings = testing::small_settings(32, 150.0 / 32);
    settings.seeds = 1;
    settings.eval_sequences = 50;
    settings.observation_times = {0.0, settings.t_max};
    settings.ablation = ablation;
    const auto result = train(settings, quiet());
    REQUIRE(result.status.failures.empty());
    REQUIRE(result.measurements.size() == 2u);
    const bool coefficients_defined = ablation.logic_module != LogicModuleKind::mlp;
    for (std::size_t c = 0; c < result.columns.size(); ++c) {
      const std::string& column = result.columns[c];
      CAPTURE(column);
      const bool coefficient_column = column == "R_c" || column == "Q_c" || column == "P_c";
      for (const auto& row : result.measurements) {
        if (coefficient_column && !coefficients_defined)
          CHECK(std::isnan(row.values[c]));
        else
          CHECK(std::isfinite(row.values[c]));
      }
    }
    // The logic has learned something: R moved.
    CHECK(std::abs(result.value(result.measurements[1], "R") - result.value(result.measurements[0], "R")) > 1e-3);
  }
}

TEST_CASE("a run with switches on, interrupted and resumed from its checkpoint, reaches the uninterrupted result") {
  auto settings = testing::small_settings(32, 4.0);
  settings.eval_sequences = 50;
  settings.ablation.causal_attention = true;
  settings.ablation.logic_module = LogicModuleKind::mlp;
  settings.ablation.mlp_width = 48;
  settings.ablation.optimizer = OptimizerKind::adam;  // Adam's moments and step count must survive the checkpoint
  const fs::path whole = fs::temp_directory_path() / "cotdyn_test_ablation_whole";
  const fs::path pieces = fs::temp_directory_path() / "cotdyn_test_ablation_pieces";
  fs::remove_all(whole);
  fs::remove_all(pieces);
  CHECK(testing::start_run(settings, whole, quiet()).completed());
  RunOptions interrupt = quiet();
  interrupt.stop_at_step = 40;  // between the observations at steps 26 and 51
  CHECK(testing::start_run(settings, pieces, interrupt).interrupted);
  CHECK(testing::resume_run(settings, pieces, quiet()).completed());
  CHECK(read_text(pieces / "simulation.csv") == read_text(whole / "simulation.csv"));
  CHECK(read_text(pieces / "simulation_summary.csv") == read_text(whole / "simulation_summary.csv"));
  fs::remove_all(whole);
  fs::remove_all(pieces);
}

TEST_CASE("the conservation law R_c + (K-1) Q_c + (n-K) P_c = 0 survives the attention switches and the residual logic") {
  auto settings = testing::small_settings(32, 4.0);
  settings.eval_sequences = 50;
  settings.ablation.content_qk = settings.ablation.causal_attention = true;
  settings.ablation.rope = RopeSchedule::geometric;
  settings.ablation.logic_module = LogicModuleKind::bilinear_residual;
  const auto result = train(settings, quiet());
  REQUIRE(result.measurements.size() == 12u);
  for (const auto& row : result.measurements) {
    const double R_c = result.value(row, "R_c"), Q_c = result.value(row, "Q_c"), P_c = result.value(row, "P_c");
    CHECK(std::abs(R_c + 3 * Q_c + 20 * P_c) < 1e-12);
    if (row.step > 0) CHECK(R_c > 0.01);  // not vacuous
  }
}

TEST_CASE("the readout of many queries (chunks, groups by current state) equals that of few queries at a time") {
  at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(31);
  for (const std::string logic : {"bilinear", "bilinear_residual", "mlp"}) {
    CAPTURE(logic);
    AblationSettings a;
    a.causal_attention = true;  // K + n value types
    a.logic_module = logic_kind(logic);
    a.logic_init = 1.0;
    const auto model = make_model(a);
    at::NoGradGuard no_grad;
    const auto prepared = model.prepare_logic(model.value_basis());
    const int Q = 3000;  // more than one chunk of 2048
    at::Tensor c = at::rand({1, Q, model.token_types()}, generator, f64);
    c /= c.sum(2, /*keepdim=*/true);
    at::Tensor state = at::randint(n, {1, Q}, generator, at::TensorOptions().dtype(at::kLong));
    at::Tensor many = model.logic_logits(prepared, c, state);
    std::vector<at::Tensor> few;
    for (int start = 0; start < Q; start += 100)
      few.push_back(model.logic_logits(prepared, c.narrow(1, start, 100), state.narrow(1, start, 100)));
    CHECK(many.abs().max().item<double>() > 0.1);
    CHECK(max_difference(many, at::cat(few, 1)) < 1e-12);
  }
}

TEST_CASE("the probes read the logic's input: MLP gates equal W_1 (v + x) + b_1 > 0 with and without causal attention") {
  for (bool causal : {false, true}) {
    CAPTURE(causal);
    AblationSettings a;
    a.logic_module = LogicModuleKind::mlp;
    a.mlp_activation = MlpActivation::relu;
    a.mlp_width = 40;
    a.causal_attention = causal;
    auto model = make_model(a);
    {
      // Move b_1 and W_V off their initial values so that both enter the check.
      at::NoGradGuard no_grad;
      at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(9);
      model.weight("b_1").add_(0.3 * at::randn(model.weight("b_1").sizes(), generator, f64));
      if (causal) model.weight("W_V").add_(0.2 * at::randn(model.weight("W_V").sizes(), generator, f64));
    }
    const EvaluationSet evaluation = make_evaluation_set(default_permutation_task(), L, 30, 4, at::kCPU);
    const auto forced = model.teacher_forced(evaluation, model.logit_tensor());
    const at::Tensor v = model.attention_output(evaluation, forced), x = model.current_tokens(evaluation);
    REQUIRE(v.sizes() == at::IntArrayRef({1, 30 * L, 32}));
    at::Tensor hidden = at::baddbmm(model.weight("b_1").unsqueeze(1), v + x, model.weight("W_1").transpose(1, 2));
    const at::Tensor gates = model.hidden_gates(evaluation);
    REQUIRE(gates.sizes() == at::IntArrayRef({1, 30 * L, 40}));
    CHECK(gates.eq(hidden.gt(0)).all().item<bool>());
    // The current tokens are the unit-norm state embeddings; without causal attention v = sum_a w_a e_a.
    CHECK(max_difference(x.norm(2, {2}), at::ones({1, 30 * L}, f64)) < 1e-12);
    if (!causal) CHECK(max_difference(v, at::bmm(forced.action_weights, model.action_embedding())) < 1e-12);
  }
  // The bilinear logic has no hidden units.
  CHECK_FALSE(make_model({}).hidden_gates(make_evaluation_set(default_permutation_task(), L, 3, 4, at::kCPU)).defined());
}

TEST_CASE("with label noise and the ReLU MLP logic every probe column is measured and finite") {
  auto settings = testing::small_settings(16, 40.0 / 16);
  settings.seeds = 1;
  settings.eval_sequences = 40;
  settings.observation_times = {0.0, settings.t_max};
  settings.label_noise = 0.3;
  settings.ablation.logic_module = LogicModuleKind::mlp;
  settings.ablation.mlp_activation = MlpActivation::relu;
  settings.ablation.optimizer = OptimizerKind::adam;
  const auto result = train(settings, quiet());
  REQUIRE(result.status.failures.empty());
  REQUIRE(result.columns == measurement_columns(probes_of(settings)));
  for (const auto& row : result.measurements) {
    for (const char* c : {"entropy", "p_correct", "sharpening", "kl", "bypass", "dead_fraction", "active_fraction"})
      CHECK(std::isfinite(result.value(row, c)));
    const double dead = result.value(row, "dead_fraction"), active = result.value(row, "active_fraction");
    CHECK((dead >= 0 && dead < 1));
    CHECK((active > 0 && active <= 1 - dead + 1e-12));  // a dead unit is active on no query
  }
  // At t = 0 the MLP's W_2 = 0: uniform prediction, entropy log n.
  CHECK(result.value(result.measurements[0], "entropy") == doctest::Approx(std::log(24.0)).epsilon(1e-12));
}
