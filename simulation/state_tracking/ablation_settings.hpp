#pragma once
// Switches that lift, one at a time, the restrictions that make the model of docs/theory.md §2 solvable
// (config section [ablation]). All off is exactly the solvable model. Torch-free: the CLI validates
// them in any build. Field names equal the config key names.
#include <string>
#include <vector>

#include <cotdyn/core/choice.hpp>

namespace cotdyn::simulation {

enum class RopeSchedule { period, geometric };
enum class LogicModuleKind { bilinear, bilinear_residual, mlp };
enum class MlpActivation { gelu, relu, tanh, silu };
enum class OptimizerKind { sgd, adam };

// The config spelling of each choice (core::parse_choice at resolve time, core::name_of to print).
inline constexpr core::ChoiceNames<RopeSchedule, 2> rope_schedule_names{
    {{RopeSchedule::period, "period"}, {RopeSchedule::geometric, "geometric"}}};
inline constexpr core::ChoiceNames<LogicModuleKind, 3> logic_module_names{{{LogicModuleKind::bilinear, "bilinear"},
                                                                          {LogicModuleKind::bilinear_residual, "bilinear_residual"},
                                                                          {LogicModuleKind::mlp, "mlp"}}};
inline constexpr core::ChoiceNames<MlpActivation, 4> mlp_activation_names{{{MlpActivation::gelu, "gelu"},
                                                                          {MlpActivation::relu, "relu"},
                                                                          {MlpActivation::tanh, "tanh"},
                                                                          {MlpActivation::silu, "silu"}}};
inline constexpr core::ChoiceNames<OptimizerKind, 2> optimizer_names{
    {{OptimizerKind::sgd, "sgd"}, {OptimizerKind::adam, "adam"}}};

struct AblationSettings {
  bool train_embeddings = false;        // trainable state/action embeddings, untied unembedding
  bool content_qk = false;              // W_Q, W_K read the token embedding plus the beacon
  RopeSchedule rope = RopeSchedule::period;  // frequencies of period L, or geometric with base rope_base
  double rope_base = 10000.0;           // base of the geometric RoPE schedule
  bool causal_attention = false;        // all earlier tokens, learned value and output (start: identity)
  LogicModuleKind logic_module = LogicModuleKind::bilinear;
  int mlp_width = 0;                    // hidden width of the MLP logic module; 0 = 4 d
  MlpActivation mlp_activation = MlpActivation::gelu;
  bool single_lr = false;               // eta_W / d for every parameter
  OptimizerKind optimizer = OptimizerKind::sgd;
  double adam_lr = 1e-3;                // Adam's step size (optimizer = "adam")
  double logic_init = 0.0;              // std of the random initial logit-space logic tensor T(0)

  // Whether any switch is on (false: the solvable model, trained by its own code path).
  bool any() const;
  // Names of the switches that are on, as "key" or "key=value" (for reports and figure keys).
  std::vector<std::string> active() const;
};

// Throws std::invalid_argument naming the offending key (ablation.*), its value and what is allowed.
// d and L are the model's, for the checks that depend on them.
void validate(const AblationSettings& ablation, int d, int L);

}  // namespace cotdyn::simulation
