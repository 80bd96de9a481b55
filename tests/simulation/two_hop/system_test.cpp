// The two-hop system (docs/models/two_hop.md §7): its columns, the arms' shared batches, and the
// save/load round trip; the contract's harness (tests/models/two_hop/model_test.cpp) checks
// determinism and resume through the generic loop.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <cotdyn/simulation/two_hop/system.hpp>

namespace th = cotdyn::simulation::two_hop;

namespace {
th::TwoHopSettings small() {
  th::TwoHopSettings s;
  s.task.num_entities = 30;
  s.task.num_relations = 6;
  s.task.out_degree = 3;
  s.task.ood_ratio = 0.2;
  s.task.lambda = 1.5;
  s.task.min_test_id = 20;
  s.layers = 1;
  s.width = 16;
  s.heads = 2;
  s.batch = 16;
  s.steps = 4;
  s.eval_every = 2;
  s.lens_items = 10;
  return s;
}

// Equal, NaN included (no-CoT's bridge column is NaN).
bool same(const std::vector<std::vector<double>>& a, const std::vector<std::vector<double>>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t e = 0; e < a.size(); ++e) {
    if (a[e].size() != b[e].size()) return false;
    for (std::size_t j = 0; j < a[e].size(); ++j)
      if (!(a[e][j] == b[e][j] || (std::isnan(a[e][j]) && std::isnan(b[e][j])))) return false;
  }
  return true;
}

double value(const std::vector<std::string>& names, const std::vector<double>& row, const std::string& name) {
  return row[std::find(names.begin(), names.end(), name) - names.begin()];
}
}  // namespace

TEST_CASE("two_hop system: its columns, one row per seed, NaN before the first update and for no-CoT's bridge") {
  const auto s = small();
  th::TwoHopSystem system(s);
  const auto& names = system.observable_names();
  CHECK(names == th::column_names(s));
  // per arm: loss, 7 probes, bridge, lens; CoT's t at b; then the bypass of the one block (CoT: r2 and b)
  CHECK(names.size() == 2 * (1 + 7 + 1 + 2 * 2) + 2 + 3);
  CHECK(std::find(names.begin(), names.end(), "lens_t_b_cot_1") != names.end());
  CHECK(std::find(names.begin(), names.end(), "lens_t_b_no_cot_1") == names.end());
  CHECK(std::vector<std::string>(names.end() - 3, names.end()) ==
        std::vector<std::string>{"bypass_r2_cot_1", "bypass_b_cot_1", "bypass_r2_no_cot_1"});
  const auto rows = system.observe();
  REQUIRE(rows.size() == 2);
  REQUIRE(rows[0].size() == names.size());
  CHECK(std::isnan(value(names, rows[0], "loss_cot")));
  CHECK(std::isnan(value(names, rows[1], "bridge_ood_no_cot")));
  CHECK(value(names, rows[0], "bridge_ood_cot") >= 0);
  const auto loss = system.train_step();
  REQUIRE(loss.size() == 2);
  CHECK(loss[0] > 2.5);  // about log 36 at the start: near-uniform over the vocabulary
  CHECK(loss[0] < 4.5);
  const auto after = system.observe();
  CHECK(std::isfinite(value(names, after[1], "loss_no_cot")));
  // The bypass ratios are finite and non-negative, before training and after.
  for (const auto* observed : {&rows, &after})
    for (const auto& row : *observed)
      for (const char* c : {"bypass_r2_cot_1", "bypass_b_cot_1", "bypass_r2_no_cot_1"}) {
        CAPTURE(c);
        CHECK(std::isfinite(value(names, row, c)));
        CHECK(value(names, row, c) >= 0);
      }
  // Both arms start from the same weights, so before the first update their r2 ratios are equal.
  CHECK(value(names, rows[0], "bypass_r2_cot_1") == value(names, rows[0], "bypass_r2_no_cot_1"));
  CHECK(system.nonfinite_weight(0).empty());
}

TEST_CASE("two_hop system: save and load continue to the same losses") {
  const auto s = small();
  th::TwoHopSystem a(s), b(s);
  a.train_step();
  const auto dir = std::filesystem::temp_directory_path() / "cotdyn_two_hop_system_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  a.save(dir.string());
  b.load(dir.string());
  CHECK(a.train_step() == b.train_step());
  CHECK(same(a.observe(), b.observe()));
  std::filesystem::remove_all(dir);
}
