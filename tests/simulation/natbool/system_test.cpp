#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <cotdyn/simulation/natbool/system.hpp>

using namespace cotdyn::simulation::natbool;

namespace {
NatboolSettings small() {
  NatboolSettings s;
  s.m = 6;
  s.r = 3;
  s.d = 16;
  s.heads = 2;
  s.seeds = 2;
  s.batch = 16;
  s.n_test = 32;
  s.cap = 20;
  s.eval_every = 5;
  return s;
}
}  // namespace

TEST_CASE("natbool system: its columns, one row per seed, NaN where a regime has no latents or no step yet") {
  const auto s = small();
  NatboolSystem system(s);
  const auto& names = system.observable_names();
  CHECK(names == column_names(s));
  CHECK(std::find(names.begin(), names.end(), "gate_acc_aligned_1") != names.end());
  CHECK(std::find(names.begin(), names.end(), "gate_acc_direct_1") == names.end());
  const auto rows = system.observe();
  REQUIRE(rows.size() == 2);
  REQUIRE(rows[0].size() == names.size());
  auto value = [&](int e, const std::string& name) {
    return rows[e][std::find(names.begin(), names.end(), name) - names.begin()];
  };
  CHECK(std::isnan(value(0, "latent_acc_direct")));
  CHECK(std::isnan(value(0, "loss_explicit")));
  CHECK(value(1, "steps_aligned") == 0);
  CHECK(value(0, "acc_direct") >= 0);
  CHECK(value(0, "acc_direct") <= 1);
  CHECK_FALSE(system.finished());
  const auto loss = system.train_step();
  REQUIRE(loss.size() == 2);
  CHECK(loss[0] > 0.5);  // cross-entropy of a near-uniform prediction of a bit: about log 2
  CHECK(loss[0] < 0.9);
  const auto after = system.observe();
  CHECK(after[0][std::find(names.begin(), names.end(), "steps_direct") - names.begin()] == 1);
  CHECK(system.nonfinite_weight(0).empty());
}

TEST_CASE("natbool system: saved and loaded into a fresh system, training continues exactly") {
  const auto s = small();
  NatboolSystem a(s), b(s);
  for (int i = 0; i < 3; ++i) a.train_step();
  const auto directory = std::filesystem::temp_directory_path() / "cotdyn_natbool_system_test";
  std::filesystem::create_directories(directory);
  a.save(directory.string());
  b.load(directory.string());
  for (int i = 0; i < 2; ++i) CHECK(a.train_step() == b.train_step());
  const auto ra = a.observe(), rb = b.observe();
  for (std::size_t e = 0; e < ra.size(); ++e)
    for (std::size_t j = 0; j < ra[e].size(); ++j) CHECK((ra[e][j] == rb[e][j] || (std::isnan(ra[e][j]) && std::isnan(rb[e][j]))));
  std::filesystem::remove_all(directory);
}
