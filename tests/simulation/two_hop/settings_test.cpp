// The two-hop experiment's settings (docs/models/two_hop.md §7): the transformer and optimiser they
// configure, the observed columns, the rules of validate() and the task data with its λ check.
#include <cotdyn/simulation/two_hop/settings.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace th = cotdyn::simulation::two_hop;

namespace {
std::string message(const th::TwoHopSettings& s) {
  try {
    th::validate(s);
    th::task_data(s);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("two_hop settings: a tied transformer with 4 positions, AdamW with warm-up, decay and clipping") {
  th::TwoHopSettings s;
  s.clip_norm = 1.0;
  const auto net = s.network(221);
  CHECK(net.outputs == 0);
  CHECK(net.positions == 4);
  CHECK(s.network(222, true).positions == 5);
  CHECK(net.vocabulary == 221);
  CHECK(net.members == s.seeds);
  CHECK(net.layers == 4);
  CHECK(net.d == 64);
  const auto opt = s.optimizer();
  CHECK(opt.lr == 2e-3);
  CHECK(opt.weight_decay == 0.1);
  CHECK(opt.warmup_steps == 100);
  CHECK(opt.clip_norm == 1.0);
  CHECK(s.member_seeds() == std::vector<std::uint64_t>{0, 1});
}

TEST_CASE("two_hop settings: the columns per arm, then the per-block bypass after both arms") {
  th::TwoHopSettings s;
  s.layers = 2;
  const auto names = th::column_names(s);
  // The columns before the bypass: per arm loss, 7 probes, bridge_ood, the lens at blocks 0 ... 2 (r1, r2;
  // CoT also t at b).
  const std::size_t before = 2 * (1 + 7 + 1 + 2 * 3) + 3;
  REQUIRE(names.size() == before + 6);
  CHECK(names[0] == "loss_cot");
  CHECK(names[8] == "bridge_ood_cot");
  CHECK(names[before - 1] == "lens_b_r2_no_cot_2");
  CHECK(std::vector<std::string>(names.begin() + before, names.end()) ==
        std::vector<std::string>{"bypass_r2_cot_1", "bypass_r2_cot_2", "bypass_b_cot_1", "bypass_b_cot_2",
                                 "bypass_r2_no_cot_1", "bypass_r2_no_cot_2"});
  CHECK(th::bypass_positions(th::Arm::no_cot) == std::vector<std::string>{"r2"});
  CHECK(th::bypass_column("b", th::Arm::cot, 3) == "bypass_b_cot_3");
}

TEST_CASE("two_hop settings: bad input names the key, the value and what is allowed") {
  th::TwoHopSettings s;
  CHECK(message(s).empty());
  s.task.ood_ratio = 0;
  CHECK(message(s).find("two_hop.ood_ratio = 0: allowed is 0 < ood_ratio < 1") == 0);
  s.task.ood_ratio = 1;
  CHECK(message(s).find("two_hop.ood_ratio = 1") == 0);
  s = {};
  s.task.out_degree = 21;
  CHECK(message(s).find("two_hop.out_degree = 21") == 0);
  s = {};
  s.heads = 3;
  CHECK(message(s).find("two_hop.heads = 3: allowed is a divisor of two_hop.width = 64") == 0);
  s = {};
  s.steps = 0;
  CHECK(message(s).find("two_hop.steps = 0") == 0);
  s = {};
  s.weight_decay = 1;
  CHECK(message(s).find("two_hop.weight_decay = 1") == 0);
}

TEST_CASE("two_hop settings: a lambda beyond the graph's two-hop pool is refused with the largest allowed") {
  th::TwoHopSettings s;
  s.task.lambda = 9.5;  // about out_degree (1 - rho) = 9 both-ID two-hops per ID fact exist
  const auto m = message(s);
  CHECK(m.find("two_hop.lambda = 9.5: allowed is lambda <= ") == 0);
  CHECK(m.find("two_hop.entities = 200, two_hop.out_degree = 10") != std::string::npos);
  s.task.lambda = 7.2;
  const auto task = th::task_data(s);
  CHECK(task.train_two_hops.size() == 12960);  // round(7.2 * 1800)
  CHECK(task.train_facts.size() == 2000);
  CHECK(task.source == "generated (seed 0)");
}

TEST_CASE("two_hop settings: a dataset directory without train.json is refused naming the key and the file") {
  th::TwoHopSettings s;
  const auto dir = std::filesystem::temp_directory_path() / "cotdyn_two_hop_settings_test_empty";
  std::filesystem::create_directories(dir);
  s.dataset = dir.string();
  const auto m = message(s);
  CHECK(m.find("two_hop.dataset") != std::string::npos);
  CHECK(m.find("train.json") != std::string::npos);
  std::filesystem::remove_all(dir);
}
