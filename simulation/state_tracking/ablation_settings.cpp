#include <cotdyn/simulation/state_tracking/ablation_settings.hpp>

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace cotdyn::simulation {

bool AblationSettings::any() const { return !active().empty(); }

std::vector<std::string> AblationSettings::active() const {
  std::vector<std::string> on;
  if (train_embeddings) on.push_back("train_embeddings");
  if (content_qk) on.push_back("content_qk");
  if (rope != RopeSchedule::period) on.push_back("rope=" + core::name_of(rope, rope_schedule_names));
  if (causal_attention) on.push_back("causal_attention");
  if (logic_module != LogicModuleKind::bilinear)
    on.push_back("logic_module=" + core::name_of(logic_module, logic_module_names));
  if (single_lr) on.push_back("single_lr");
  if (optimizer != OptimizerKind::sgd) on.push_back("optimizer=" + core::name_of(optimizer, optimizer_names));
  if (logic_init != 0.0) on.push_back(fmt::format("logic_init={}", logic_init));
  return on;
}

namespace {
[[noreturn]] void reject(const std::string& key, const std::string& value, const std::string& allowed) {
  throw std::invalid_argument(fmt::format("ablation.{} = {}: {}", key, value, allowed));
}
}  // namespace

void validate(const AblationSettings& a, int d, int L) {
  if (!(a.rope_base > 1) || !std::isfinite(a.rope_base))
    reject("rope_base", fmt::format("{}", a.rope_base), "must be a finite number > 1");
  if (a.rope == RopeSchedule::geometric && d % 2 != 0)
    reject("rope", "\"geometric\"", fmt::format("needs an even model.d (rotation pairs), got d = {}", d));
  if (a.mlp_width < 0) reject("mlp_width", std::to_string(a.mlp_width), "must be >= 0 (0 = 4 d)");
  if (!(a.adam_lr > 0) || !std::isfinite(a.adam_lr))
    reject("adam_lr", fmt::format("{}", a.adam_lr), "must be a positive finite number");
  if (!(a.logic_init >= 0) || !std::isfinite(a.logic_init))
    reject("logic_init", fmt::format("{}", a.logic_init), "must be a finite number >= 0 (0 = zero initial tensor)");
  (void)L;
}

}  // namespace cotdyn::simulation
