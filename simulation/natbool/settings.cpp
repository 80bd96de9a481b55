#include <cotdyn/simulation/natbool/settings.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace cotdyn::simulation::natbool {

transformer::TransformerSettings NatboolSettings::network() const {
  transformer::TransformerSettings s;
  s.members = seeds;
  s.vocabulary = kVocabularySize;
  s.d = d;
  s.heads = heads;
  s.layers = layers;
  s.positions = m + gates() + 2;
  s.outputs = 2;
  return s;
}

transformer::OptimizerSettings NatboolSettings::optimizer() const {
  transformer::OptimizerSettings s;
  s.lr = lr;
  return s;
}

std::vector<std::uint64_t> NatboolSettings::member_seeds() const {
  std::vector<std::uint64_t> out;
  for (int e = 0; e < seeds; ++e) out.push_back(base_seed + std::uint64_t(e));
  return out;
}

std::vector<Regime> regimes_run(const NatboolSettings& s) {
  if (s.gates() > 1) return s.regimes;
  return {Regime::direct};
}

void validate(const NatboolSettings& s) {
  validate(Parameters{s.m, s.r, s.shape, s.base_seed});
  if (s.regimes.empty()) throw std::invalid_argument("natbool.regimes = []: allowed is a non-empty list of direct, explicit, implicit, aligned");
  for (std::size_t i = 0; i < s.regimes.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (s.regimes[i] == s.regimes[j])
        throw std::invalid_argument(fmt::format("natbool.regimes lists \"{}\" twice: allowed is each regime once", to_string(s.regimes[i])));
  auto require = [](bool ok, const char* key, double value, const char* allowed) {
    if (!ok) throw std::invalid_argument(fmt::format("{} = {}: allowed is {}", key, value, allowed));
  };
  require(s.d >= 2 && s.d <= 1024, "natbool.d", s.d, "2 <= d <= 1024");
  require(s.heads >= 1 && s.d % s.heads == 0, "natbool.heads", s.heads, fmt::format("a divisor of natbool.d = {}", s.d).c_str());
  require(s.layers >= 1 && s.layers <= 16, "natbool.layers", s.layers, "1 <= layers <= 16");
  require(s.batch >= 1 && s.batch <= 65536, "natbool.batch", s.batch, "1 <= batch <= 65536");
  require(std::isfinite(s.lr) && s.lr > 0 && s.lr <= 1, "natbool.lr", s.lr, "0 < lr <= 1");
  require(s.eval_every >= 1, "natbool.eval_every", double(s.eval_every), ">= 1");
  require(s.cap >= s.eval_every && s.cap <= 100000000, "natbool.cap", double(s.cap),
          fmt::format("natbool.eval_every = {} <= cap <= 1e8", s.eval_every).c_str());
  require(s.n_test >= 1 && s.n_test <= 1000000, "natbool.n_test", s.n_test, "1 <= n_test <= 1e6");
  require(s.seeds >= 1 && s.seeds <= 1024, "train.seeds", s.seeds, "1 <= train.seeds <= 1024");
}

}  // namespace cotdyn::simulation::natbool
