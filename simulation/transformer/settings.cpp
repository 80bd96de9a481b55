#include <cotdyn/simulation/transformer/settings.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace cotdyn::simulation::transformer {

namespace {
void require(bool ok, const char* prefix, const char* key, double value, const char* allowed) {
  if (!ok) throw std::invalid_argument(fmt::format("{}.{} = {}: allowed is {}", prefix, key, value, allowed));
}
}  // namespace

void validate(const TransformerSettings& s, const char* prefix) {
  require(s.members >= 1, prefix, "members", s.members, ">= 1");
  require(s.vocabulary >= 1, prefix, "vocabulary", s.vocabulary, ">= 1");
  require(s.d >= 1 && s.d <= 4096, prefix, "d", s.d, "1 <= d <= 4096");
  require(s.heads >= 1 && s.d % s.heads == 0, prefix, "heads", s.heads, "a divisor of d (>= 1)");
  require(s.layers >= 1 && s.layers <= 64, prefix, "layers", s.layers, "1 <= layers <= 64");
  require(s.positions >= 1, prefix, "positions", s.positions, ">= 1");
  require(s.outputs >= 0, prefix, "outputs", s.outputs, ">= 0 (0 = tied unembedding)");
  require(s.mlp_ratio >= 1, prefix, "mlp_ratio", s.mlp_ratio, ">= 1");
  require(std::isfinite(s.init_std) && s.init_std > 0, prefix, "init_std", s.init_std, "a positive number");
}

void validate(const OptimizerSettings& s, const char* prefix) {
  require(std::isfinite(s.lr) && s.lr > 0 && s.lr <= 10, prefix, "lr", s.lr, "0 < lr <= 10");
  require(s.beta1 >= 0 && s.beta1 < 1, prefix, "beta1", s.beta1, "0 <= beta1 < 1");
  require(s.beta2 >= 0 && s.beta2 < 1, prefix, "beta2", s.beta2, "0 <= beta2 < 1");
  require(std::isfinite(s.eps) && s.eps > 0, prefix, "eps", s.eps, "a positive number");
  require(std::isfinite(s.weight_decay) && s.weight_decay >= 0, prefix, "weight_decay", s.weight_decay, ">= 0");
  require(s.warmup_steps >= 0, prefix, "warmup_steps", double(s.warmup_steps), ">= 0");
  require(std::isfinite(s.clip_norm) && s.clip_norm >= 0, prefix, "clip_norm", s.clip_norm, ">= 0 (0 = no clipping)");
}

double learning_rate(const OptimizerSettings& s, std::int64_t step) {
  if (s.warmup_steps <= 0) return s.lr;
  return s.lr * std::min(1.0, double(step + 1) / double(s.warmup_steps));
}

}  // namespace cotdyn::simulation::transformer
