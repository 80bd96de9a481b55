#include <cotdyn/models/natbool/settings_of.hpp>

#include <algorithm>
#include <string>
#include <stdexcept>

#include <fmt/format.h>

#include <cotdyn/models/schedule.hpp>

namespace cotdyn::models::natbool {

namespace sim = simulation::natbool;

sim::NatboolSettings settings_of(const core::Config& config) {
  sim::NatboolSettings s;
  s.m = config.get_int("natbool.m");
  s.r = config.get_int("natbool.r");
  s.shape = sim::parse_shape(config.get_string("natbool.shape"));
  s.regimes.clear();
  for (const auto& name : config.get_string_list("natbool.regimes")) {
    try {
      s.regimes.push_back(sim::parse_regime(name));
    } catch (const std::invalid_argument&) {
      throw std::invalid_argument(
          fmt::format("natbool.regimes contains \"{}\": allowed are direct, explicit, implicit, aligned", name));
    }
  }
  s.d = config.get_int("natbool.d");
  s.heads = config.get_int("natbool.heads");
  s.layers = config.get_int("natbool.layers");
  s.batch = config.get_int("natbool.batch");
  s.lr = config.get_number("natbool.lr");
  s.cap = config.get_integer("natbool.cap");
  s.eval_every = config.get_integer("natbool.eval_every");
  s.n_test = config.get_int("natbool.n_test");
  s.seeds = config.get_int("train.seeds");
  s.base_seed = base_seed(config);
  sim::validate(s);
  return s;
}

std::vector<int> signal_orders(const core::Config& config) {
  const int m = config.get_int("natbool.m");
  std::vector<int> orders;
  for (auto r : config.get_integer_list("natbool.signal_r")) {
    if (r < 2 || r > m)
      throw std::invalid_argument(fmt::format("natbool.signal_r contains {}: allowed are 2 <= r <= natbool.m = {}", r, m));
    if (!orders.empty() && r <= orders.back())
      throw std::invalid_argument(fmt::format("natbool.signal_r contains {} after {}: allowed is an increasing list", r,
                                              orders.back()));
    orders.push_back(static_cast<int>(r));
  }
  if (m > 20 && !orders.empty())
    throw std::invalid_argument(fmt::format(
        "natbool.signal_r = [{}, ...] with natbool.m = {}: the signal is exact over all 2^m inputs, allowed for m <= 20; "
        "set natbool.signal_r = [] for larger m", orders.front(), m));
  return orders;
}

}  // namespace cotdyn::models::natbool
