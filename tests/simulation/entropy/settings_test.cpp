// The study's variants, columns, observation grid and Jensen window from its settings, and bad settings.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include <cotdyn/simulation/entropy/settings.hpp>

using namespace cotdyn::simulation;
using namespace cotdyn::simulation::entropy;

namespace {
EntropySettings settings() {
  EntropySettings s;
  s.base.d = 16;
  s.base.label_noise = 0.3;
  s.base.seeds = 2;
  s.variants = {"solvable", "bilinear_adam", "mlp", "spikes"};
  s.mlp_widths = {1, 4};
  s.adam_lr = 1e-3;
  s.adam_t_max = 10;
  s.sgd_t_max = 30;
  s.observations = 5;
  s.window = 3;
  s.spike_lrs = {3e-3, 1e-2};
  s.spike_width = 2;
  s.dead_every = 5;
  s.probe_sequences = 4;
  return s;
}

std::string message_of(const EntropySettings& s) {
  try {
    validate(s);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("the variants expand mlp per width and spikes per learning rate, with their switches") {
  const auto v = variants_of(settings());
  REQUIRE(v.size() == 6);
  CHECK(v[0].name == "solvable");
  CHECK(v[0].run.ablation.optimizer == OptimizerKind::sgd);
  CHECK(v[0].run.ablation.logic_module == LogicModuleKind::bilinear);
  CHECK(v[0].t_max == 30);
  CHECK(v[1].name == "bilinear_adam");
  CHECK(v[1].run.ablation.optimizer == OptimizerKind::adam);
  CHECK(v[1].run.ablation.adam_lr == 1e-3);
  CHECK(v[2].name == "mlp_1d");
  CHECK(v[3].name == "mlp_4d");
  CHECK(v[3].run.ablation.mlp_width == 64);
  CHECK(v[3].run.ablation.mlp_activation == MlpActivation::relu);
  CHECK(v[3].t_max == 10);
  CHECK(v[4].name == "spike_0.003");
  CHECK(v[5].name == "spike_0.01");
  CHECK(v[5].spikes);
  CHECK(v[5].run.ablation.adam_lr == 1e-2);
  CHECK(v[5].run.ablation.mlp_width == 32);
  for (const auto& x : v) CHECK(x.run.label_noise == 0.3);
}

TEST_CASE("the columns, the merged observation grid and the Jensen window") {
  const auto s = settings();
  const auto names = column_names(s);
  CHECK(names.size() == 6 * probe_columns().size() + 2 * spike_columns().size());
  CHECK(names.front() == "loss_solvable");
  CHECK(names.back() == "p_shuffled_spike_0.01");
  // 5 times over [0, 10] and 5 over [0, 30]: 0, 2.5, 5, 7.5, 10, 15, 22.5, 30.
  CHECK(observation_times(s) == std::vector<double>{0, 2.5, 5, 7.5, 10, 15, 22.5, 30});
  CHECK(t_max(s) == 30);
  CHECK(window_times(observation_times(s), 10, 3) == std::vector<double>{5, 7.5, 10});
  auto adam_only = s;
  adam_only.variants = {"bilinear_adam"};
  CHECK(observation_times(adam_only) == std::vector<double>{0, 2.5, 5, 7.5, 10});
}

TEST_CASE("bad entropy settings name the key, the value and what is allowed") {
  CHECK(message_of(settings()).empty());
  auto s = settings();
  s.variants = {"solvable", "moe"};
  CHECK(message_of(s).find("entropy.variants: \"moe\" is not a variant; allowed are solvable") != std::string::npos);
  s = settings();
  s.variants = {};
  CHECK(message_of(s).find("entropy.variants = []") != std::string::npos);
  s = settings();
  s.base.label_noise = 0;
  CHECK(message_of(s).find("entropy.label_noise = 0: allowed is 0 < label_noise < 1") != std::string::npos);
  s = settings();
  s.dead_every = 40;
  CHECK(message_of(s).find("entropy.dead_every = 40: allowed is 1 .. 20") != std::string::npos);
  s = settings();
  s.window = 9;
  CHECK(message_of(s).find("entropy.window = 9") != std::string::npos);
  s = settings();
  s.adam_lr = -1;
  CHECK(message_of(s).find("entropy.adam_lr = -1: allowed is > 0") != std::string::npos);
}
