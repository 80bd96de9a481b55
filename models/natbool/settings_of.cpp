#include <cotdyn/models/natbool/settings_of.hpp>

#include <algorithm>
#include <limits>
#include <string>
#include <stdexcept>

#include <fmt/format.h>

#include <cotdyn/models/schedule.hpp>

namespace cotdyn::models::natbool {

namespace sim = simulation::natbool;

namespace {
// An integer key as an int (refused outside int's range); what is allowed is sim::validate's rule.
int as_int(const core::Config& config, const std::string& key) {
  return static_cast<int>(config.get_integer_in(key, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
}
}  // namespace

sim::NatboolSettings settings_of(const core::Config& config) {
  sim::NatboolSettings s;
  s.m = as_int(config, "natbool.m");
  s.r = as_int(config, "natbool.r");
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
  s.d = as_int(config, "natbool.d");
  s.heads = as_int(config, "natbool.heads");
  s.layers = as_int(config, "natbool.layers");
  s.batch = as_int(config, "natbool.batch");
  s.lr = config.get_number("natbool.lr");
  s.cap = config.get_integer("natbool.cap");
  s.eval_every = config.get_integer("natbool.eval_every");
  s.n_test = as_int(config, "natbool.n_test");
  s.seeds = as_int(config, "train.seeds");
  s.base_seed = base_seed(config);
  sim::validate(s);
  return s;
}

std::vector<int> signal_orders(const core::Config& config) {
  const int m = as_int(config, "natbool.m");
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
