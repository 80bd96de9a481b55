#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include <cotdyn/simulation/natbool/memory.hpp>
#include <cotdyn/simulation/natbool/settings.hpp>

using namespace cotdyn::simulation::natbool;

namespace {
std::string message_of(const NatboolSettings& s) {
  try {
    validate(s);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("natbool settings: bad values name their key") {
  NatboolSettings s;
  CHECK(message_of(s).empty());
  s.r = 13;
  CHECK(message_of(s).find("natbool.r = 13") != std::string::npos);
  s = {};
  s.cap = 20;
  CHECK(message_of(s).find("natbool.cap = 20") != std::string::npos);
  s = {};
  s.heads = 5;
  CHECK(message_of(s).find("natbool.heads = 5") != std::string::npos);
  s = {};
  s.regimes = {Regime::direct, Regime::direct};
  CHECK(message_of(s).find("natbool.regimes") != std::string::npos);
  s = {};
  s.regimes = {};
  CHECK(message_of(s).find("natbool.regimes") != std::string::npos);
}

TEST_CASE("natbool settings: at r = 2 only the direct regime runs, and the network has m + G + 2 positions") {
  NatboolSettings s;
  s.r = 2;
  CHECK(regimes_run(s) == std::vector<Regime>{Regime::direct});
  s.r = 4;
  CHECK(regimes_run(s).size() == 4);
  CHECK(s.network().positions == 12 + 3 + 2);
  CHECK(s.network().outputs == 2);
  CHECK(s.member_seeds() == std::vector<std::uint64_t>{0, 1, 2});
  s.base_seed = 11;
  CHECK(s.task(1).seed == 12);
}

TEST_CASE("natbool memory: the estimate grows with the batch and the members") {
  NatboolSettings s;
  const double base = memory_estimate(s).total();
  CHECK(base > 1e6);
  s.batch *= 4;
  CHECK(memory_estimate(s).total() > 2 * base);
}
