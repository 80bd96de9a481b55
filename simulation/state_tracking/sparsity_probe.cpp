#include <cotdyn/simulation/state_tracking/sparsity_probe.hpp>

namespace cotdyn::simulation {

const std::vector<std::string>& sparsity_probe_columns() {
  static const std::vector<std::string> columns = {"dead_fraction", "active_fraction"};
  return columns;
}

at::Tensor sparsity_probe(const at::Tensor& active) {
  at::Tensor ever = active.any(1).to(at::kDouble);  // [E, width]
  at::Tensor dead = 1.0 - ever.mean(1);
  at::Tensor per_query = active.to(at::kDouble).mean(2).mean(1);
  return at::stack({dead, per_query}, 1);
}

}  // namespace cotdyn::simulation
