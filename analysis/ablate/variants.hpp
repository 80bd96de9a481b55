#pragma once
// The variants of the ablation study (config section [ablate]): the solvable model ("baseline", every
// [ablation] switch off), one variant per switch and one per pair of switches. A switch is named as
// simulation::AblationSettings::active() names it: "train_embeddings", "rope=geometric",
// "logic_module=mlp", "logic_init=0.1", ... Torch-free: the names, the config assignments they stand
// for and the theory each variant is compared with.
#include <string>
#include <vector>

#include <cotdyn/core/config.hpp>
#include <cotdyn/meanfield/state_tracking/parameters.hpp>

namespace cotdyn::ablate {

// One switch the study knows: its name pattern and what it sets.
struct SwitchInfo {
  std::string name;         // "train_embeddings", "rope=geometric", "logic_init=X" (X: a number > 0)
  std::string restriction;  // the docs/theory.md §2 restriction it lifts, in a few words
};
const std::vector<SwitchInfo>& known_switches();
// "train_embeddings, content_qk, ..." for error messages.
std::string allowed_switch_names();
// The restriction a switch lifts ("logic_init=0.3" -> that of "logic_init=X"); "" for an unknown name.
std::string restriction_of(const std::string& switch_name);

struct Variant {
  std::string name;                      // "baseline", or the switches joined by "+"
  std::vector<std::string> switches;     // empty for the baseline
  std::vector<std::string> assignments;  // config assignments "ablation.key=value"
  bool is_baseline() const { return switches.empty(); }
};

// A switch name -> its config assignment ("rope=geometric" -> `ablation.rope="geometric"`).
// Throws std::invalid_argument naming `key` (e.g. "ablate.switches"), the bad name and the allowed ones.
std::string switch_assignment(const std::string& name, const std::string& key);

struct AblateSettings {
  std::vector<int> dims;           // ablate.d, increasing
  int seeds = 3;                   // ablate.seeds
  std::vector<Variant> variants;   // ablate.switches in order, then ablate.pairs in order
};

// Reads and checks [ablate]: d (each in [1, 65536], no repeats), seeds (>= 1), switches (known
// names or "baseline", no repeats), pairs (two different known switches each, no repeated pair).
// Errors name the key, the value and what is allowed. The divisibility of d is the simulator's
// check (see variant_config).
AblateSettings resolve_ablate_settings(const core::Config& config);

// The config of one variant at one d: model.d = d, train.seeds = settings.seeds, the variant's
// assignments applied on top of `base`.
core::Config variant_config(const core::Config& base, const Variant& variant, int d, int seeds);

// The mean-field parameters the variant is compared with. The ODE knows one switch exactly:
// single_lr trains attention at eta_W / d, which is the ODE with eta_A = eta_W. Every other switch
// leaves the ODE of the solvable model (that is what the study tests).
meanfield::ModelParameters theory_parameters(const meanfield::ModelParameters& base, const Variant& variant);

// A file-name-safe form of a variant name ("content_qk+rope=geometric" -> "content_qk+rope-geometric").
std::string variant_slug(const std::string& name);

}  // namespace cotdyn::ablate
