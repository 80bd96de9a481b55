#include <cotdyn/models/entropy/settings_of.hpp>

#include <cmath>
#include <stdexcept>
#include <string>

#include <fmt/format.h>
#include <toml++/toml.h>

#include <cotdyn/core/observation_grid.hpp>

#include <cotdyn/models/schedule.hpp>
#include <cotdyn/models/state_tracking/resolve.hpp>
#include <cotdyn/models/state_tracking/resolve_simulation.hpp>

namespace cotdyn::models::entropy {

namespace sim = simulation::entropy;

namespace {
// A variant's training time, held to train.t_max's own rule (core::resolve_t_max), which it becomes.
double training_time(const core::Config& config, const std::string& key) {
  const double t = config.get_number(key);
  core::Config probe;
  probe.set("train.t_max", toml::value<double>(t));
  try {
    core::resolve_t_max(probe);
  } catch (const std::invalid_argument& e) {
    const std::string message = e.what();
    throw std::invalid_argument(fmt::format("{} = {}: {}", key, t, message.substr(message.find(": ") + 2)));
  }
  return t;
}
}  // namespace

sim::EntropySettings settings_of(const core::Config& config) {
  sim::EntropySettings s;
  s.base = state_tracking::resolve_simulation_settings(config);
  const auto d = config.get_integer("entropy.d");
  if (d < 4 || d > 4096) throw std::invalid_argument(fmt::format("entropy.d = {}: allowed is 4 .. 4096", d));
  s.base.d = static_cast<int>(d);
  s.base.label_noise = config.get_number("entropy.label_noise");
  s.base.ablation = {};
  s.base.threads = 1;
  s.variants = config.get_string_list("entropy.variants");
  for (auto w : config.get_integer_list("entropy.mlp_widths")) {
    if (w < 1 || w > 1024)
      throw std::invalid_argument(fmt::format("entropy.mlp_widths: {} is not allowed; allowed are 1 .. 1024 (units of d)", w));
    s.mlp_widths.push_back(static_cast<int>(w));
  }
  s.adam_lr = config.get_number("entropy.adam_lr");
  s.adam_t_max = training_time(config, "entropy.adam_t_max");
  s.sgd_t_max = training_time(config, "entropy.sgd_t_max");
  s.observations = static_cast<int>(config.get_integer_in("entropy.observations", 2, 100000));
  s.window = static_cast<int>(config.get_integer_in("entropy.window", 2, 100000));
  s.spike_lrs = config.get_number_list("entropy.spike_lrs");
  s.spike_width = static_cast<int>(config.get_integer_in("entropy.spike_width", 1, 1024));
  s.dead_every = static_cast<int>(config.get_integer_in("entropy.dead_every", 1, 1000000));
  s.probe_sequences = static_cast<int>(config.get_integer_in("entropy.probe_sequences", 1, 1000000));
  sim::validate(s);
  // The state-tracking run's own rules on d (docs/theory.md §2), named by the key that sets d here.
  try {
    simulation::validate(s.base);
  } catch (const std::invalid_argument& e) {
    const std::string message = e.what(), prefix = fmt::format("model.d = {}: ", s.base.d);
    if (message.rfind(prefix, 0) != 0) throw;
    throw std::invalid_argument(fmt::format("entropy.d = {}: {}", s.base.d, message.substr(prefix.size())));
  }
  // The schedule's grid and length are the study's own (derived keys, models/entropy/model.hpp).
  s.base.observation_times = sim::observation_times(s);
  s.base.t_max = sim::t_max(s);
  return s;
}

}  // namespace cotdyn::models::entropy
