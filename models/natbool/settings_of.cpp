#include <cotdyn/models/natbool/settings_of.hpp>

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include <cotdyn/models/schedule.hpp>

namespace cotdyn::models::natbool {

namespace sim = simulation::natbool;

sim::NatboolSettings settings_of(const core::Config& config) {
  sim::NatboolSettings s;
  s.m = static_cast<int>(config.get_integer_in("natbool.m", 2, 62));
  s.r = static_cast<int>(config.get_integer_in("natbool.r", 2, 62));
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
  s.d = static_cast<int>(config.get_integer_in("natbool.d", 2, 1024));
  s.heads = static_cast<int>(config.get_integer_in("natbool.heads", 1, 1024));
  s.layers = static_cast<int>(config.get_integer_in("natbool.layers", 1, 16));
  s.batch = static_cast<int>(config.get_integer_in("natbool.batch", 1, 65536));
  s.lr = config.get_number("natbool.lr");
  s.cap = config.get_integer_in("natbool.cap", 1, 100'000'000);
  s.eval_every = config.get_integer_in("natbool.eval_every", 1, 100'000'000);
  s.n_test = static_cast<int>(config.get_integer_in("natbool.n_test", 1, 1'000'000));
  s.seeds = static_cast<int>(config.get_integer_in("train.seeds", 1, 1024));
  s.base_seed = base_seed(config);
  sim::validate(s);
  return s;
}

std::vector<int> signal_orders(const core::Config& config) {
  const int m = static_cast<int>(config.get_integer_in("natbool.m", 2, 62));
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
