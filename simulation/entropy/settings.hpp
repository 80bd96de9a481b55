#pragma once
// The settings of the entropy and sparsity study (model.kind = "entropy", docs/models/entropy.md): the
// state-tracking task with label noise, trained as several variants side by side, each a state-tracking
// run (simulation/state_tracking/) with its own switches. Torch-free.
#include <cstdint>
#include <string>
#include <vector>

#include <cotdyn/simulation/state_tracking/settings.hpp>

namespace cotdyn::simulation::entropy {

// The variant kinds of entropy.variants. "mlp" expands to one variant per entropy.mlp_widths entry and
// "spikes" to one per entropy.spike_lrs entry.
inline const std::vector<std::string>& variant_kinds() {
  static const std::vector<std::string> kinds = {"solvable", "bilinear_adam", "mlp", "causal_adam", "spikes"};
  return kinds;
}

struct EntropySettings {
  // The state-tracking run every variant starts from: [task] (with task.label_noise = entropy.label_noise),
  // [model] sigma2, [train] eta_W, eta_A, batch, seeds, seed, and d = entropy.d; one intra-op thread
  // (the variants run in parallel). Its [ablation] switches are all off; each variant sets its own.
  SimulationSettings base;
  std::vector<std::string> variants;  // entropy.variants, in variant_kinds()
  std::vector<int> mlp_widths;        // entropy.mlp_widths: MLP hidden widths in units of d
  double adam_lr = 0;                 // entropy.adam_lr: Adam's step of the Adam variants
  double adam_t_max = 0;              // entropy.adam_t_max: training time of the Adam variants
  double sgd_t_max = 0;               // entropy.sgd_t_max: training time of the solvable model (SGD)
  int observations = 0;               // entropy.observations: per training window, t = 0 included
  std::vector<double> spike_lrs;      // entropy.spike_lrs: raised Adam steps of the instability runs
  int spike_width = 0;                // entropy.spike_width: the instability runs' MLP width in units of d
  int dead_every = 0;                 // entropy.dead_every: steps between dead-fraction probes (instability runs)
  int probe_sequences = 0;            // entropy.probe_sequences: sequences of that probe set
  int window = 0;                     // entropy.window: late observations of the Jensen gap
};

// One variant: a state-tracking run trained to t_max, then frozen.
struct EntropyVariant {
  std::string name;         // solvable, bilinear_adam, mlp_<w>d, causal_adam, spike_<lr>
  SimulationSettings run;   // base with the variant's switches
  double t_max = 0;
  bool spikes = false;      // per-step loss and dead fraction recorded (the instability runs)
};

// The variants of the settings, in the order of entropy.variants.
std::vector<EntropyVariant> variants_of(const EntropySettings& settings);

// A variant's columns in simulation.csv, each suffixed "_<name>": loss, step_acc, alpha, entropy,
// p_correct, sharpening, kl, bypass, dead_fraction, active_fraction (NaN without a ReLU MLP logic),
// jensen_gap (NaN until the window's last observation); the instability runs add spikes, cooccurring,
// shuffled, p_shuffled (spike_statistics.hpp).
const std::vector<std::string>& probe_columns();
const std::vector<std::string>& spike_columns();
std::vector<std::string> column_names(const EntropySettings& settings);

// The observation times: entropy.observations equally spaced times over [0, adam_t_max] and over
// [0, sgd_t_max] (with the solvable variant), merged; train.t_max is the largest variant t_max.
std::vector<double> observation_times(const EntropySettings& settings);
double t_max(const EntropySettings& settings);

// The last `window` observation times at or before t_max (the Jensen gap's window).
std::vector<double> window_times(const std::vector<double>& times, double t_max, int window);

// Throws std::invalid_argument naming the key (entropy.<field>), the value and what is allowed.
void validate(const EntropySettings& settings);

}  // namespace cotdyn::simulation::entropy
