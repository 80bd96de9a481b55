#pragma once
// Two-hop datasets in the public repository's format (docs/models/two_hop.md §6): a directory with
// train.json and test.json (optional valid.json, ignored, and vocab.json). Each file is a JSON list
// of items {"input_text": "<e_3><r_7>", "target_text": "<e_3><r_7><e_12></a>"}; a two-hop item has
// the input <e_h><r_1><r_2> and, in CoT form, the target <e_h><r_1><r_2><e_b><e_t></a>. test.json items
// carry "type": id_atomic, ood_atomic, train_inferred, test_inferred_iid or test_inferred_ood.
// Torch-free.
#include <string>

#include <cotdyn/simulation/two_hop/task_data.hpp>

namespace cotdyn::simulation::two_hop {

// Reads DIR/train.json and DIR/test.json into task data (docs/models/two_hop.md §6): entity <e_i> =
// token i, relation <r_j> = token |E| + j, with |E| and |R| the numbers of <e_N> and <r_N> tokens in
// vocab.json when present (every index used must be below them), else one more than the largest
// index seen in train.json and test.json; the trailing </a> is dropped (end_token = false: cotdyn
// trains without the end token). train.json's atomic items become train_facts and its two-hops
// train_two_hops, each in file order; test.json's items go to the probe set named by their type, in
// file order. Items carry indices, not token ids; a two-hop's `first` and `second` are -1 (a
// directory has no fact list); `noisy` is the item's train_noise (0 or 1) when present, else false;
// Fact::ood is true only in the ood_atomic probe set. A type without items is an available, empty
// probe set; the one-hop-OOD sets (ood_first_only, ood_second_only) are unavailable. `source` is the
// directory. A missing file, invalid JSON, an item that does not parse, a target that does not start
// with its input, a two-hop without its bridge, an unknown type or an index beyond vocab.json throws
// std::invalid_argument naming two_hop.dataset, the file, the item (its index and text) and what
// was expected.
TaskData read_dataset_directory(const std::string& directory);

// Writes task data in that format, creating DIR if missing: DIR/train.json (the training facts, then
// the training two-hops, CoT form, with </a> and train_noise), DIR/test.json (the available ones of
// the five typed probe sets, in probe_names() order) and DIR/vocab.json (<e_0> ... <e_{|E|-1}>,
// <r_0> ... <r_{|R|-1}>, then the public code's special tokens), each file written atomically, one
// item per line. read_dataset_directory() of the result gives the same vocabulary sizes, training
// rows and probe sets. An index outside the vocabulary throws std::invalid_argument; a file that
// cannot be written throws std::runtime_error naming it.
void write_dataset_directory(const TaskData& task, const std::string& directory);

}  // namespace cotdyn::simulation::two_hop
