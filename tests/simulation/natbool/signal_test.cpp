#include <doctest/doctest.h>

#include <cmath>

#include <cotdyn/simulation/natbool/signal.hpp>

using namespace cotdyn::simulation::natbool;

namespace {
NatboolSettings small(int r) {
  NatboolSettings s;
  s.m = 6;
  s.r = r;
  s.d = 16;
  s.heads = 2;
  s.seeds = 2;
  return s;
}
}  // namespace

TEST_CASE("natbool signal: one value per target and member, the same for any chunk size") {
  const auto a = initial_signals(small(4), Regime::explicit_cot, SignalTargets::all, 64);
  const auto b = initial_signals(small(4), Regime::explicit_cot, SignalTargets::all, 7);
  REQUIRE(a.size() == 3);
  for (std::size_t k = 0; k < a.size(); ++k) {
    CHECK(a[k].gate == int(k) + 1);
    REQUIRE(a[k].S.size() == 2);
    for (int e = 0; e < 2; ++e) {
      CHECK(a[k].S[e] > 0);
      CHECK(a[k].S_qk[e] < a[k].S[e]);
      CHECK(b[k].S[e] == doctest::Approx(a[k].S[e]).epsilon(1e-10));
    }
  }
}

TEST_CASE("natbool signal: with the full derivative the aligned answer's signal is the implicit answer's") {
  const auto implicit = initial_signals(small(4), Regime::implicit);
  const auto aligned = initial_signals(small(4), Regime::aligned);
  REQUIRE(implicit.size() == 1);
  REQUIRE(aligned.size() == 3);
  CHECK(aligned.back().gate == 3);
  for (int e = 0; e < 2; ++e) CHECK(aligned.back().S[e] == doctest::Approx(implicit.front().S[e]).epsilon(1e-12));
  // Levels: gates 1 and 2 are level 1, the answer level 2.
  CHECK(aligned[0].level == 1);
  CHECK(aligned[1].level == 1);
  CHECK(aligned[2].level == 2);
  // Only the level-1 latents, from the first pass alone: the same values.
  const auto first = initial_signals(small(4), Regime::aligned, SignalTargets::first_level);
  REQUIRE(first.size() == 2);
  for (int k = 0; k < 2; ++k)
    for (int e = 0; e < 2; ++e) CHECK(first[k].S[e] == doctest::Approx(aligned[k].S[e]).epsilon(1e-12));
}

TEST_CASE("natbool signal: explicit CoT at r = 2 is the direct regime, so their signals agree") {
  const auto direct = initial_signals(small(2), Regime::direct);
  const auto cot = initial_signals(small(2), Regime::explicit_cot);
  REQUIRE(direct.size() == 1);
  REQUIRE(cot.size() == 1);
  for (int e = 0; e < 2; ++e) CHECK(cot[0].S[e] == doctest::Approx(direct[0].S[e]).epsilon(1e-12));
}
