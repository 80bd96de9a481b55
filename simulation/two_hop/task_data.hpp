#pragma once
// What the two arms of the two-hop experiment train and are evaluated on (docs/models/two_hop.md §5),
// whether generated from the seed (make_dataset) or read from a directory in the public format
// (dataset_directory.hpp): the vocabulary, the training facts and two-hops, and the probe sets under
// the public format's names. Torch-free.
#include <string>
#include <vector>

#include <cotdyn/simulation/two_hop/generator.hpp>

namespace cotdyn::simulation::two_hop {

// The probe sets, in column order: the public format's five test types, then the two one-hop-OOD
// categories the public code discards (docs/models/two_hop.md §2).
const std::vector<std::string>& probe_names();
// id_atomic, ood_atomic, train_inferred, test_inferred_iid, test_inferred_ood, ood_first_only, ood_second_only
bool probe_is_two_hop(const std::string& name);  // the last five

// One probe set: atomic facts for the first two names, two-hops (bridge known) for the others.
// `available` is false when a dataset does not define it (a directory has no one-hop-OOD sets): its
// accuracy is then NaN, written empty.
struct ProbeSet {
  std::string name;
  bool available = true;
  std::vector<Fact> facts;
  std::vector<TwoHop> two_hops;
};

struct TaskData {
  Vocabulary vocab;
  std::vector<Fact> train_facts;       // the atomic training rows, in order
  std::vector<TwoHop> train_two_hops;  // the two-hop training rows, in order (bridges known)
  std::vector<ProbeSet> probes;        // one per probe_names(), in that order
  std::string source;                  // "generated (seed S)" or the directory read
};

// The generated dataset as task data: every atomic fact and the training two-hops; the probes of
// docs/models/two_hop.md §2 (train_inferred = the train_two_hop probe, test_inferred_iid = test_id,
// test_inferred_ood = both_ood).
TaskData generated_task(const Dataset& data, bool end_token = false);

// The arm's training rows: every training fact, then every training two-hop in the arm's format.
std::vector<Row> training_rows(const TaskData& task, Arm arm);

// The probe set of this name (throws std::out_of_range for another name).
const ProbeSet& probe(const TaskData& task, const std::string& name);

}  // namespace cotdyn::simulation::two_hop
