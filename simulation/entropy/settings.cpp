#include <cotdyn/simulation/entropy/settings.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cotdyn/simulation/entropy/spike_statistics.hpp>

namespace cotdyn::simulation::entropy {

namespace {
bool has(const std::vector<std::string>& list, const std::string& x) {
  return std::find(list.begin(), list.end(), x) != list.end();
}

// The general model with Adam at step lr (docs/theory.md §11.1).
SimulationSettings adam_run(const EntropySettings& s, double lr) {
  SimulationSettings run = s.base;
  run.ablation = {};
  run.ablation.optimizer = OptimizerKind::adam;
  run.ablation.adam_lr = lr;
  run.t_max = s.adam_t_max;
  return run;
}

SimulationSettings relu_mlp(SimulationSettings run, int width) {
  run.ablation.logic_module = LogicModuleKind::mlp;
  run.ablation.mlp_activation = MlpActivation::relu;
  run.ablation.mlp_width = width;
  return run;
}
}  // namespace

std::vector<EntropyVariant> variants_of(const EntropySettings& s) {
  std::vector<EntropyVariant> out;
  for (const auto& kind : s.variants) {
    if (kind == "solvable") {
      SimulationSettings run = s.base;
      run.ablation = {};
      run.logic = LogicStorage::coefficients;
      run.t_max = s.sgd_t_max;
      out.push_back({"solvable", run, s.sgd_t_max, false});
    } else if (kind == "bilinear_adam") {
      out.push_back({"bilinear_adam", adam_run(s, s.adam_lr), s.adam_t_max, false});
    } else if (kind == "mlp") {
      for (int w : s.mlp_widths)
        out.push_back({fmt::format("mlp_{}d", w), relu_mlp(adam_run(s, s.adam_lr), w * s.base.d), s.adam_t_max, false});
    } else if (kind == "causal_adam") {
      SimulationSettings run = adam_run(s, s.adam_lr);
      run.ablation.causal_attention = true;
      out.push_back({"causal_adam", run, s.adam_t_max, false});
    } else if (kind == "spikes") {
      for (double lr : s.spike_lrs)
        out.push_back({fmt::format("spike_{:g}", lr), relu_mlp(adam_run(s, lr), s.spike_width * s.base.d), s.adam_t_max,
                       true});
    }
  }
  for (auto& v : out) v.run.observation_times = window_times(s.base.observation_times, v.t_max, int(1e9));
  return out;
}

const std::vector<std::string>& probe_columns() {
  static const std::vector<std::string> columns = {"loss",       "step_acc", "alpha",         "entropy",
                                                   "p_correct",  "sharpening", "kl",          "bypass",
                                                   "dead_fraction", "active_fraction", "jensen_gap"};
  return columns;
}

const std::vector<std::string>& spike_columns() {
  static const std::vector<std::string> columns = {"spikes", "cooccurring", "shuffled", "p_shuffled"};
  return columns;
}

std::vector<std::string> column_names(const EntropySettings& settings) {
  std::vector<std::string> names;
  for (const auto& v : variants_of(settings)) {
    for (const auto& c : probe_columns()) names.push_back(c + "_" + v.name);
    if (v.spikes)
      for (const auto& c : spike_columns()) names.push_back(c + "_" + v.name);
  }
  return names;
}

double t_max(const EntropySettings& s) {
  double t = 0;
  for (const auto& v : variants_of(s)) t = std::max(t, v.t_max);
  return t;
}

std::vector<double> observation_times(const EntropySettings& s) {
  std::set<double> times;
  std::set<double> maxima;
  for (const auto& v : variants_of(s)) maxima.insert(v.t_max);
  for (double top : maxima)
    for (int i = 0; i < s.observations; ++i) times.insert(top * i / (s.observations - 1));
  // Two times closer than a training step are one observation.
  std::vector<double> out;
  for (double t : times)
    if (out.empty() || (t - out.back()) * s.base.d >= 0.5) out.push_back(t);
  return out;
}

std::vector<double> window_times(const std::vector<double>& times, double t_max, int window) {
  std::vector<double> before;
  for (double t : times)
    if (t <= t_max + 1e-12) before.push_back(t);
  if (static_cast<int>(before.size()) > window) before.erase(before.begin(), before.end() - window);
  return before;
}

void validate(const EntropySettings& s) {
  if (s.variants.empty())
    throw std::invalid_argument(fmt::format("entropy.variants = []: allowed is a non-empty list of {}",
                                            fmt::join(variant_kinds(), ", ")));
  std::set<std::string> seen;
  for (const auto& v : s.variants) {
    if (!has(variant_kinds(), v))
      throw std::invalid_argument(fmt::format("entropy.variants: \"{}\" is not a variant; allowed are {}", v,
                                              fmt::join(variant_kinds(), ", ")));
    if (!seen.insert(v).second)
      throw std::invalid_argument(fmt::format("entropy.variants: \"{}\" appears twice; allowed is each once", v));
  }
  if (!(s.base.label_noise > 0 && s.base.label_noise < 1))
    throw std::invalid_argument(
        fmt::format("entropy.label_noise = {}: allowed is 0 < label_noise < 1 (the probes compare with the noisy target)",
                    s.base.label_noise));
  if (s.base.d < 4) throw std::invalid_argument(fmt::format("entropy.d = {}: allowed is d >= 4", s.base.d));
  const auto positive = [](const char* key, double x) {
    if (!(x > 0 && std::isfinite(x))) throw std::invalid_argument(fmt::format("{} = {}: allowed is > 0", key, x));
  };
  positive("entropy.adam_lr", s.adam_lr);
  positive("entropy.adam_t_max", s.adam_t_max);
  positive("entropy.sgd_t_max", s.sgd_t_max);
  if (has(s.variants, "mlp") && s.mlp_widths.empty())
    throw std::invalid_argument("entropy.mlp_widths = []: allowed is a non-empty list of widths >= 1 (units of d)");
  for (int w : s.mlp_widths)
    if (w < 1) throw std::invalid_argument(fmt::format("entropy.mlp_widths: {} is not allowed; allowed are >= 1 (units of d)", w));
  if (has(s.variants, "spikes") && s.spike_lrs.empty())
    throw std::invalid_argument("entropy.spike_lrs = []: allowed is a non-empty list of Adam steps > 0");
  for (double lr : s.spike_lrs)
    if (!(lr > 0)) throw std::invalid_argument(fmt::format("entropy.spike_lrs: {} is not allowed; allowed are > 0", lr));
  if (s.spike_width < 1)
    throw std::invalid_argument(fmt::format("entropy.spike_width = {}: allowed is >= 1 (units of d)", s.spike_width));
  if (s.dead_every < 1 || s.dead_every > kJumpWindow)
    throw std::invalid_argument(fmt::format("entropy.dead_every = {}: allowed is 1 .. {} (a jump must be dated within "
                                            "the +-{} steps of a spike)",
                                            s.dead_every, kJumpWindow, kJumpWindow));
  if (s.probe_sequences < 1)
    throw std::invalid_argument(fmt::format("entropy.probe_sequences = {}: allowed is >= 1", s.probe_sequences));
  if (s.observations < 2)
    throw std::invalid_argument(fmt::format("entropy.observations = {}: allowed is >= 2", s.observations));
  if (s.window < 2 || s.window > s.observations)
    throw std::invalid_argument(fmt::format("entropy.window = {}: allowed is 2 .. entropy.observations = {}", s.window,
                                            s.observations));
}

}  // namespace cotdyn::simulation::entropy
