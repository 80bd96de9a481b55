#pragma once
// Two-hop datasets in the public repository's format (docs/models/two_hop.md §6): a directory with
// train.json and test.json (optional valid.json and vocab.json, not needed). Each file is a JSON list
// of items {"input_text": "<e_3><r_7>", "target_text": "<e_3><r_7><e_12></a>"}; a two-hop item has
// the input <e_h><r_1><r_2> and, in CoT form, the target <e_h><r_1><r_2><e_b><e_t></a>. test.json items
// carry "type": id_atomic, ood_atomic, train_inferred, test_inferred_iid or test_inferred_ood.
// Torch-free.
#include <string>

#include <cotdyn/simulation/two_hop/task_data.hpp>

namespace cotdyn::simulation::two_hop {

// Reads DIR/train.json and DIR/test.json into task data: entity <e_i> = token i, relation <r_j> =
// token |E| + j, with |E| and |R| one more than the largest index seen in either file (or in
// vocab.json when present); the trailing </a> is dropped (cotdyn trains without the end token). A
// missing file, an item that does not parse, a target that does not start with its input, or a
// two-hop without its bridge throws std::invalid_argument naming the file, the item (its index and
// text) and what was expected. The one-hop-OOD probe sets are marked unavailable.
TaskData read_dataset_directory(const std::string& directory);

// Writes task data in that format: DIR/train.json (the training facts and two-hops, CoT form, with
// </a>) and DIR/test.json (the five typed probe sets); atomic, each file written atomically.
// read_dataset_directory() of the result gives the same training rows and probe sets.
void write_dataset_directory(const TaskData& task, const std::string& directory);

}  // namespace cotdyn::simulation::two_hop
