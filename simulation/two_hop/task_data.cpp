#include <cotdyn/simulation/two_hop/task_data.hpp>

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

namespace cotdyn::simulation::two_hop {

const std::vector<std::string>& probe_names() {
  static const std::vector<std::string> names = {"id_atomic",         "ood_atomic",        "train_inferred",
                                                 "test_inferred_iid", "test_inferred_ood", "ood_first_only",
                                                 "ood_second_only"};
  return names;
}

bool probe_is_two_hop(const std::string& name) { return name != "id_atomic" && name != "ood_atomic"; }

TaskData generated_task(const Dataset& data, bool end_token) {
  TaskData task;
  task.vocab = vocabulary(data.parameters, end_token);
  task.train_facts = data.facts;
  task.train_two_hops = data.train_two_hops;
  auto facts = [](std::string name, std::vector<Fact> items) {
    ProbeSet p;
    p.name = std::move(name);
    p.facts = std::move(items);
    return p;
  };
  auto two_hops = [](std::string name, std::vector<TwoHop> items) {
    ProbeSet p;
    p.name = std::move(name);
    p.two_hops = std::move(items);
    return p;
  };
  task.probes = {facts("id_atomic", data.id_atomic_probe()),
                 facts("ood_atomic", data.ood_atomic_probe()),
                 two_hops("train_inferred", data.train_two_hop_probe()),
                 two_hops("test_inferred_iid", data.test_id),
                 two_hops("test_inferred_ood", data.both_ood),
                 two_hops("ood_first_only", data.ood_first_only),
                 two_hops("ood_second_only", data.ood_second_only)};
  task.source = fmt::format("generated (seed {})", data.parameters.seed);
  return task;
}

std::vector<Row> training_rows(const TaskData& task, Arm arm) {
  std::vector<Row> rows;
  rows.reserve(task.train_facts.size() + task.train_two_hops.size());
  for (const auto& fact : task.train_facts) rows.push_back(atomic_row(task.vocab, fact));
  for (const auto& item : task.train_two_hops) rows.push_back(two_hop_row(task.vocab, item, arm));
  return rows;
}

const ProbeSet& probe(const TaskData& task, const std::string& name) {
  const auto it = std::find_if(task.probes.begin(), task.probes.end(), [&](const ProbeSet& p) { return p.name == name; });
  if (it == task.probes.end()) throw std::out_of_range(fmt::format("two-hop task data has no probe set \"{}\"", name));
  return *it;
}

}  // namespace cotdyn::simulation::two_hop
