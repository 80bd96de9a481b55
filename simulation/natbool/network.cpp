#include <cotdyn/simulation/natbool/network.hpp>

namespace cotdyn::simulation::natbool {

transformer::Transformer make_network(const NatboolSettings& settings, torch::Dtype dtype) {
  return transformer::Transformer(settings.network(), settings.member_seeds(), dtype);
}

}  // namespace cotdyn::simulation::natbool
