// The state-tracking model's settings from its config: the defaults of the embedded config, and the
// choices (enums) parsed once, naming the key and the allowed values.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include <cotdyn/core/config.hpp>
#include <cotdyn/models/state_tracking/resolve.hpp>
#include <cotdyn/models/state_tracking/resolve_simulation.hpp>

using namespace cotdyn;

namespace {
std::string message_of(const std::string& assignment) {
  core::Config config;
  config.apply_set(assignment);
  try {
    models::state_tracking::resolve_simulation_settings(config);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no exception";
}
}  // namespace

TEST_CASE("the ODE library's and the [ablation] switches' default-constructed values are the embedded config's") {
  // meanfield::ModelParameters{} is the theory's reference point and AblationSettings{} is "every
  // switch off": both must stay the defaults of the embedded config, the one place defaults live.
  const core::Config config;
  const auto p = models::state_tracking::resolve_model_parameters(config);
  const meanfield::ModelParameters reference;
  CHECK(p.n == reference.n);
  CHECK(p.K == reference.K);
  CHECK(p.L == reference.L);
  CHECK(p.eta_W == reference.eta_W);
  CHECK(p.eta_A == reference.eta_A);
  CHECK(p.sigma2 == reference.sigma2);
  const auto a = models::state_tracking::resolve_ablation_settings(config, 64, 9);
  const simulation::AblationSettings off;
  CHECK(a.train_embeddings == off.train_embeddings);
  CHECK(a.content_qk == off.content_qk);
  CHECK(a.rope == off.rope);
  CHECK(a.rope_base == off.rope_base);
  CHECK(a.causal_attention == off.causal_attention);
  CHECK(a.logic_module == off.logic_module);
  CHECK(a.mlp_width == off.mlp_width);
  CHECK(a.mlp_activation == off.mlp_activation);
  CHECK(a.single_lr == off.single_lr);
  CHECK(a.optimizer == off.optimizer);
  CHECK(a.adam_lr == off.adam_lr);
  CHECK(a.logic_init == off.logic_init);
  CHECK_FALSE(a.any());
}

TEST_CASE("the simulation settings take train.seed and every other key from the config") {
  core::Config config;
  config.apply_set("train.seed=17");
  config.apply_set("model.logic=\"tensor\"");
  const auto s = models::state_tracking::resolve_simulation_settings(config);
  CHECK(s.base_seed == 17);
  CHECK(s.logic == simulation::LogicStorage::tensor);
  CHECK(models::state_tracking::resolve_simulation_settings(core::Config()).base_seed == 0);
}

TEST_CASE("an unknown choice names the key, the value and the allowed names") {
  CHECK(message_of("model.logic=\"dense\"") == "model.logic = \"dense\": allowed are \"coefficients\" and \"tensor\"");
  CHECK(message_of("model.dtype=\"float16\"") == "model.dtype = \"float16\": allowed are \"float64\" and \"float32\"");
  CHECK(message_of("model.device=\"tpu\"") == "model.device = \"tpu\": allowed are \"cpu\" and \"cuda\"");
  CHECK(message_of("ablation.rope=\"linear\"") == "ablation.rope = \"linear\": allowed are \"period\" and \"geometric\"");
  CHECK(message_of("ablation.logic_module=\"attention\"") ==
        "ablation.logic_module = \"attention\": allowed are \"bilinear\", \"bilinear_residual\" and \"mlp\"");
  CHECK(message_of("ablation.mlp_activation=\"elu\"") ==
        "ablation.mlp_activation = \"elu\": allowed are \"gelu\", \"relu\", \"tanh\" and \"silu\"");
  CHECK(message_of("ablation.optimizer=\"rmsprop\"") == "ablation.optimizer = \"rmsprop\": allowed are \"sgd\" and \"adam\"");
}
