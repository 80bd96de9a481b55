// The task data of the two-hop arms (docs/models/two_hop.md §5): the generated dataset under the
// public format's probe names, and each arm's training rows.
#include <cotdyn/simulation/two_hop/task_data.hpp>

#include <doctest/doctest.h>

#include <stdexcept>

namespace th = cotdyn::simulation::two_hop;

namespace {
th::Parameters small() {
  th::Parameters p;
  p.num_entities = 30;
  p.num_relations = 6;
  p.out_degree = 3;
  p.ood_ratio = 0.2;
  p.lambda = 1.5;
  p.min_test_id = 20;
  p.seed = 5;
  return p;
}
}  // namespace

TEST_CASE("two_hop task data: the generated probe sets under the public names, in column order") {
  const th::Dataset data = th::make_dataset(small());
  const th::TaskData task = th::generated_task(data);
  REQUIRE(task.probes.size() == th::probe_names().size());
  for (std::size_t i = 0; i < task.probes.size(); ++i) {
    CHECK(task.probes[i].name == th::probe_names()[i]);
    CHECK(task.probes[i].available);
    CHECK(th::probe_is_two_hop(task.probes[i].name) == task.probes[i].facts.empty());
  }
  CHECK(th::probe(task, "ood_atomic").facts.size() == data.ood_facts.size());
  CHECK(th::probe(task, "test_inferred_ood").two_hops.size() == data.both_ood.size());
  CHECK(th::probe(task, "test_inferred_iid").two_hops.size() == data.test_id.size());
  CHECK(th::probe(task, "ood_first_only").two_hops.size() == data.ood_first_only.size());
  CHECK(th::probe(task, "ood_second_only").two_hops.size() == data.ood_second_only.size());
  CHECK(th::probe(task, "train_inferred").two_hops.size() == data.train_two_hop_probe().size());
  CHECK_THROWS_AS(th::probe(task, "test_ood"), std::out_of_range);
  CHECK(task.vocab.size() == 36);
  CHECK(task.source == "generated (seed 5)");
}

TEST_CASE("two_hop task data: each arm trains on every fact, then every training two-hop in its format") {
  const th::TaskData task = th::generated_task(th::make_dataset(small()));
  REQUIRE_FALSE(task.train_two_hops.empty());
  const auto cot = th::training_rows(task, th::Arm::cot), no_cot = th::training_rows(task, th::Arm::no_cot);
  REQUIRE(cot.size() == task.train_facts.size() + task.train_two_hops.size());
  REQUIRE(no_cot.size() == cot.size());
  const std::size_t k = task.train_facts.size();
  const auto& x = task.train_two_hops.front();
  CHECK(cot[k].tokens == std::vector<int>{x.h, 30 + x.r1, 30 + x.r2, x.b});
  CHECK(cot[k].targets == std::vector<int>{x.b, x.t});
  CHECK(no_cot[k].tokens == std::vector<int>{x.h, 30 + x.r1, 30 + x.r2});
  CHECK(no_cot[k].targets == std::vector<int>{x.t});
  CHECK(cot[0].tokens == no_cot[0].tokens);  // the atomic rows are the same in both arms
  CHECK(cot[0].targets == std::vector<int>{task.train_facts[0].t});
}
