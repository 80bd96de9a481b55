#pragma once
// The shape of the small decoder-only transformer shared by the Boolean-DAG and two-hop experiments
// (docs/models/transformer.md), and the optimiser it trains with. Torch-free, so a config can be
// checked without LibTorch.
#include <cstdint>

namespace cotdyn::simulation::transformer {

struct TransformerSettings {
  int members = 1;       // ensemble members trained as one batched model (leading dimension E)
  int vocabulary = 4;    // token table rows
  int d = 32;            // residual width
  int heads = 4;         // attention heads, d % heads == 0
  int layers = 2;        // pre-LayerNorm blocks
  int positions = 16;    // learned position table rows (the longest sequence)
  int outputs = 2;       // output head width; 0 = tied unembedding (logits = h . token table^T)
  int mlp_ratio = 4;     // MLP width = mlp_ratio * d
  double init_std = 0.02;  // N(0, init_std^2) for matrices and tables; W_o, W_2: init_std / sqrt(2 layers)
};
// Throws std::invalid_argument naming `prefix`.<field>, its value and what is allowed.
void validate(const TransformerSettings& s, const char* prefix);

// Adam (weight_decay = 0) or AdamW (decoupled weight decay), with an optional linear warm-up of the
// learning rate over the first warmup_steps steps and an optional gradient-norm clip per member.
struct OptimizerSettings {
  double lr = 1e-3;
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  double weight_decay = 0;       // > 0: AdamW
  std::int64_t warmup_steps = 0;  // lr * min(1, (step + 1) / warmup_steps)
  double clip_norm = 0;          // > 0: each member's gradient norm clipped to this
};
void validate(const OptimizerSettings& s, const char* prefix);

// The learning rate of step `step` (0-based) under the warm-up rule.
double learning_rate(const OptimizerSettings& s, std::int64_t step);

}  // namespace cotdyn::simulation::transformer
