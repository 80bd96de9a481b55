#include <cotdyn/simulation/state_tracking/bypass_probe.hpp>

namespace cotdyn::simulation {

const std::string& bypass_probe_column() {
  static const std::string column = "bypass";
  return column;
}

at::Tensor bypass_probe(const at::Tensor& attention_output, const at::Tensor& current_token) {
  at::Tensor v = attention_output.to(at::kDouble), x = current_token.to(at::kDouble);
  return (v.norm(2, {2}) / x.norm(2, {2})).mean(1);
}

}  // namespace cotdyn::simulation
