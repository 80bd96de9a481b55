#include <cotdyn/simulation/state_tracking/memory.hpp>

namespace cotdyn::simulation {

// The counts follow the code: W_Q, W_K are drawn as d x d float64 matrices per seed (network.cpp),
// the tensor storage and the general model's bilinear logic hold d^3 weights per seed with their
// gradient and one temporary of the same size, Adam adds two moments per parameter, and measure()
// keeps about ten arrays of logits [seeds, evaluation sequences x L, n] alive at once (the
// teacher-forced logits, their softmax and log-softmax, the rollout's), about six [.., d] hidden
// states in the general model. Held to real runs by tests/cli/simulate_command_test.cpp.
core::MemoryEstimate memory_estimate(const SimulationSettings& s) {
  const double E = s.seeds, d = s.d, n = s.task.num_states(), K = s.task.num_actions(), L = s.L;
  const double bytes = s.dtype == Precision::float32 ? 4 : 8;
  const double queries = static_cast<double>(s.eval_sequences) * L;
  const bool general = s.ablation.any();
  const bool adam = s.ablation.optimizer == OptimizerKind::adam;
  const double state_copies = adam ? 4 : 2;  // the value and its gradient (and Adam's two moments)
  const std::string seeds_or_d = "train.seeds or model.d";

  core::MemoryEstimate estimate;
  estimate.parts.push_back({"attention matrices W_Q, W_K", 2 * E * d * d * (8 + (general || s.logic == LogicStorage::tensor ? state_copies * bytes : 0)), seeds_or_d});
  if (general && s.ablation.logic_module == LogicModuleKind::mlp) {
    const double width = s.ablation.mlp_width > 0 ? s.ablation.mlp_width : 4 * d;
    estimate.parts.push_back({"MLP logic weights", 2 * E * width * d * state_copies * bytes, seeds_or_d});
  } else if (general || s.logic == LogicStorage::tensor) {
    estimate.parts.push_back({"logic tensors W (d^3 per seed)", E * d * d * d * (state_copies + 1) * bytes, seeds_or_d});
  } else {
    // C and the partial logits P kept beside it (coefficient_step.hpp).
    estimate.parts.push_back({"logic coefficients C and P", E * n * K * n * state_copies * bytes, "train.seeds"});
  }
  if (general) {
    if (s.ablation.causal_attention)
      estimate.parts.push_back({"value and output matrices", 2 * E * d * d * state_copies * bytes, seeds_or_d});
    estimate.parts.push_back({"evaluation hidden states", 6 * E * queries * d * bytes, seeds_or_d});
  }
  estimate.parts.push_back({"evaluation logits", 10 * E * queries * n * bytes, "train.seeds"});
  // The probes of docs/models/entropy.md, beside the logits: about four [.., n] float64 arrays of the
  // entropy probe and three [.., d] of the bypass probe; the ReLU MLP's gates, one byte per unit and query.
  if (s.label_noise > 0)
    estimate.parts.push_back({"entropy and bypass probes", (4 * n + 3 * d) * E * queries * 8, seeds_or_d});
  if (general && s.ablation.logic_module == LogicModuleKind::mlp && s.ablation.mlp_activation == MlpActivation::relu) {
    const double width = s.ablation.mlp_width > 0 ? s.ablation.mlp_width : 4 * d;
    estimate.parts.push_back({"MLP gates", E * queries * width, seeds_or_d});
  }
  return estimate;
}

}  // namespace cotdyn::simulation
