// The entropy study's settings from a config: its keys, the state-tracking keys it reuses, bad input.
#include <doctest/doctest.h>

#include <stdexcept>

#include <cotdyn/models/entropy/settings_of.hpp>
#include <cotdyn/models/registry.hpp>

using namespace cotdyn;

namespace {
core::Config entropy_config(const std::vector<std::string>& sets = {}) {
  return models::resolve_config([&](core::Config& c) {
    c.apply_set("model.kind=entropy");
    for (const auto& s : sets) c.apply_set(s);
  });
}
std::string message_of(const std::vector<std::string>& sets) {
  try {
    models::entropy::settings_of(entropy_config(sets));
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("entropy settings at the defaults") {
  const auto s = models::entropy::settings_of(entropy_config());
  CHECK(s.base.d == 32);
  CHECK(s.base.label_noise == 0.3);
  CHECK(s.base.seeds == 2);
  CHECK(s.variants == std::vector<std::string>{"solvable", "bilinear_adam", "mlp", "spikes"});
  CHECK(s.mlp_widths == std::vector<int>{1, 4, 16});
  CHECK(s.adam_t_max == 100);
  CHECK(s.sgd_t_max == 300);
  CHECK(s.base.t_max == 300);
  CHECK(s.base.observation_times.size() == 41 + 27);  // 0 .. 100 by 2.5, then 105 .. 300 by 7.5
  CHECK(s.spike_lrs == std::vector<double>{3e-3, 1e-2});
}

TEST_CASE("bad entropy keys name the key, the value and what is allowed") {
  CHECK(message_of({}).empty());
  CHECK(message_of({"entropy.d=2"}) == "entropy.d = 2: allowed is 4 .. 4096");
  CHECK(message_of({"entropy.d=24"}).find("entropy.d = 24: d must be a positive multiple of 2(L-1) = 16") != std::string::npos);
  CHECK(message_of({"entropy.mlp_widths=[0]"}).find("entropy.mlp_widths: 0 is not allowed") != std::string::npos);
  CHECK(message_of({"entropy.sgd_t_max=1e9"}) == "entropy.sgd_t_max = 1000000000: must be a positive number, at most 1e8");
  CHECK(message_of({"entropy.observations=1"}).find("entropy.observations") != std::string::npos);
  CHECK(message_of({"entropy.spike_lrs=[-1.0]"}).find("entropy.spike_lrs: -1 is not allowed") != std::string::npos);
}
