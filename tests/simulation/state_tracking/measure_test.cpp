// The measured columns: which probes a run measures (docs/models/entropy.md) and their order.
#include <ATen/ATen.h>

#undef CHECK
#include <doctest/doctest.h>

#include <cotdyn/simulation/state_tracking/measure.hpp>
#include <cotdyn/tests/simulation/state_tracking/simulation_test_helpers.hpp>

using namespace cotdyn::simulation;

TEST_CASE("the probe columns appear only where they apply") {
  auto settings = testing::small_settings(16, 1.0);
  CHECK(measurement_columns(probes_of(settings)) == measurement_columns());  // clean, solvable: as before

  settings.label_noise = 0.3;
  auto expected = measurement_columns();
  for (const char* c : {"entropy", "p_correct", "sharpening", "kl", "bypass"}) expected.push_back(c);
  CHECK(measurement_columns(probes_of(settings)) == expected);

  settings.ablation.logic_module = LogicModuleKind::mlp;  // GELU by default: no gates to count
  CHECK(measurement_columns(probes_of(settings)) == expected);
  settings.ablation.mlp_activation = MlpActivation::relu;
  expected.push_back("dead_fraction");
  expected.push_back("active_fraction");
  CHECK(measurement_columns(probes_of(settings)) == expected);

  settings.label_noise = 0;
  auto clean = measurement_columns();
  clean.push_back("dead_fraction");
  clean.push_back("active_fraction");
  CHECK(measurement_columns(probes_of(settings)) == clean);
}
