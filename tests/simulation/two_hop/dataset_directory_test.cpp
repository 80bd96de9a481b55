// Two-hop datasets in the public format (docs/models/two_hop.md §6): a generated task survives a
// write and a read, a hand-written directory parses to the expected items, and bad input names the
// file, the item and what was expected.
#include <cotdyn/simulation/two_hop/dataset_directory.hpp>

#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

namespace th = cotdyn::simulation::two_hop;
namespace fs = std::filesystem;

namespace {

// A fresh directory per test case (cases may run in parallel processes), removed at the end.
struct Scratch {
  fs::path path;
  explicit Scratch(const std::string& name)
      : path(fs::temp_directory_path() / ("cotdyn_two_hop_dataset_" + name + "_" + std::to_string(::getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  void write(const std::string& file, const std::string& text) const { std::ofstream(path / file) << text; }
  std::string read(const std::string& file) const {
    std::ifstream in(path / file);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
  std::string str() const { return path.string(); }
};

auto key(const th::TwoHop& x) { return std::make_tuple(x.h, x.r1, x.r2, x.b, x.t); }
auto key(const th::Fact& f) { return std::make_tuple(f.h, f.r, f.t); }

template <class T>
bool same_items(const std::vector<T>& a, const std::vector<T>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (key(a[i]) != key(b[i])) return false;
  return true;
}

bool same_rows(const std::vector<th::Row>& a, const std::vector<th::Row>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].tokens != b[i].tokens || a[i].target_positions != b[i].target_positions || a[i].targets != b[i].targets)
      return false;
  return true;
}

std::string error_of(const Scratch& dir) {
  try {
    th::read_dataset_directory(dir.str());
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no error)";
}

// A small valid directory; the error cases replace one file.
const char* const kTrain = R"([
{"input_text": "<e_0><r_0>", "target_text": "<e_0><r_0><e_1></a>"},
{"input_text": "<e_1><r_1>", "target_text": "<e_1><r_1><e_2>"},
{"input_text": "<e_0><r_0><r_1>", "target_text": "<e_0><r_0><r_1><e_1><e_2></a>", "train_noise": 0},
{"input_text": "<e_3><r_0>", "target_text": "<e_3><r_0><e_0></a>"},
{"input_text": "<e_2><r_1><r_0>", "target_text": "<e_2><r_1><r_0><e_3><e_0></a>", "train_noise": 1}
])";
const char* const kTest = R"([
{"input_text": "<e_0><r_0>", "target_text": "<e_0><r_0><e_1></a>", "type": "id_atomic"},
{"input_text": "<e_4><r_2>", "target_text": "<e_4><r_2><e_3></a>", "type": "ood_atomic"},
{"input_text": "<e_0><r_0><r_1>", "target_text": "<e_0><r_0><r_1><e_1><e_2></a>", "type": "train_inferred", "train_noise": 0},
{"input_text": "<e_4><r_2><r_1>", "target_text": "<e_4><r_2><r_1><e_3><e_1></a>", "type": "test_inferred_ood"},
{"input_text": "<e_1><r_1>", "target_text": "<e_1><r_1><e_2></a>", "type": "id_atomic"}
])";
const char* const kVocab =
    R"(["<e_0>", "<e_1>", "<e_2>", "<e_3>", "<e_4>", "<e_5>", "<r_0>", "<r_1>", "<r_2>", "<r_3>", "<mask>", "</a>"])";

void write_valid(const Scratch& dir) {
  dir.write("train.json", kTrain);
  dir.write("test.json", kTest);
  dir.write("vocab.json", kVocab);
}

}  // namespace

TEST_CASE("two_hop dataset directory round trip of a generated task") {
  th::Parameters p;
  p.num_entities = 40;
  p.num_relations = 8;
  p.out_degree = 4;
  p.ood_ratio = 0.25;
  p.lambda = 2.0;
  p.noise = 0.2;
  p.min_test_id = 20;
  p.max_test_id = 50;
  p.probe_size = 30;
  p.seed = 3;
  const th::TaskData task = th::generated_task(th::make_dataset(p));
  Scratch dir("round_trip");
  th::write_dataset_directory(task, (dir.path / "data").string());  // created if missing
  const th::TaskData back = th::read_dataset_directory((dir.path / "data").string());

  CHECK(back.source == (dir.path / "data").string());
  CHECK(back.vocab.num_entities == 40);
  CHECK(back.vocab.num_relations == 8);
  CHECK_FALSE(back.vocab.end_token);
  CHECK(same_rows(th::training_rows(back, th::Arm::cot), th::training_rows(task, th::Arm::cot)));
  CHECK(same_rows(th::training_rows(back, th::Arm::no_cot), th::training_rows(task, th::Arm::no_cot)));
  REQUIRE(back.train_two_hops.size() == task.train_two_hops.size());
  int noisy = 0;
  for (std::size_t i = 0; i < task.train_two_hops.size(); ++i) {
    CHECK(back.train_two_hops[i].noisy == task.train_two_hops[i].noisy);
    CHECK(back.train_two_hops[i].first == -1);
    CHECK(back.train_two_hops[i].second == -1);
    noisy += task.train_two_hops[i].noisy ? 1 : 0;
  }
  CHECK(noisy > 0);  // the noise flag is exercised

  REQUIRE(back.probes.size() == th::probe_names().size());
  for (std::size_t k = 0; k < 5; ++k) {
    const auto& name = th::probe_names()[k];
    CAPTURE(name);
    const auto &read = th::probe(back, name), &original = th::probe(task, name);
    CHECK(read.available);
    CHECK(same_items(read.facts, original.facts));
    CHECK(same_items(read.two_hops, original.two_hops));
    CHECK(read.facts.size() + read.two_hops.size() > 0);  // a non-trivial comparison
  }
  for (const char* name : {"ood_first_only", "ood_second_only"}) {
    CHECK_FALSE(th::probe(back, name).available);
    CHECK(th::probe(back, name).two_hops.empty());
  }
  for (const auto& f : th::probe(back, "ood_atomic").facts) CHECK(f.ood);

  // Deterministic: writing the read task again gives the same bytes.
  th::write_dataset_directory(back, (dir.path / "again").string());
  for (const char* file : {"train.json", "test.json", "vocab.json"}) {
    CAPTURE(file);
    const std::string first = dir.read(std::string("data/") + file), second = dir.read(std::string("again/") + file);
    CHECK_FALSE(first.empty());
    CHECK(first == second);
  }
}

TEST_CASE("two_hop dataset directory hand-written files with and without vocab.json") {
  Scratch dir("hand_written");
  write_valid(dir);
  dir.write("valid.json", "not read, so not checked");
  const th::TaskData task = th::read_dataset_directory(dir.str());

  CHECK(task.vocab.num_entities == 6);  // counted in vocab.json, not the largest index used
  CHECK(task.vocab.num_relations == 4);
  CHECK_FALSE(task.vocab.end_token);
  CHECK(task.source == dir.str());
  // train.json: atomic items and two-hops each in file order.
  REQUIRE(task.train_facts.size() == 3u);
  CHECK(key(task.train_facts[0]) == std::make_tuple(0, 0, 1));
  CHECK(key(task.train_facts[1]) == std::make_tuple(1, 1, 2));  // no </a>
  CHECK(key(task.train_facts[2]) == std::make_tuple(3, 0, 0));
  for (const auto& f : task.train_facts) CHECK_FALSE(f.ood);
  REQUIRE(task.train_two_hops.size() == 2u);
  CHECK(key(task.train_two_hops[0]) == std::make_tuple(0, 0, 1, 1, 2));
  CHECK(key(task.train_two_hops[1]) == std::make_tuple(2, 1, 0, 3, 0));
  CHECK_FALSE(task.train_two_hops[0].noisy);
  CHECK(task.train_two_hops[1].noisy);
  CHECK(task.train_two_hops[0].first == -1);
  CHECK(task.train_two_hops[0].second == -1);
  // Token rows: entity i = i, relation j = |E| + j = 6 + j.
  const auto cot = th::training_rows(task, th::Arm::cot);
  REQUIRE(cot.size() == 5u);
  CHECK(cot[3].tokens == std::vector<int>{0, 6, 7, 1});
  CHECK(cot[3].targets == std::vector<int>{1, 2});
  CHECK(th::training_rows(task, th::Arm::no_cot)[4].tokens == std::vector<int>{2, 7, 6});

  // test.json: grouped by type in file order.
  const auto& id_atomic = th::probe(task, "id_atomic");
  REQUIRE(id_atomic.facts.size() == 2u);
  CHECK(key(id_atomic.facts[0]) == std::make_tuple(0, 0, 1));
  CHECK(key(id_atomic.facts[1]) == std::make_tuple(1, 1, 2));
  CHECK_FALSE(id_atomic.facts[0].ood);
  const auto& ood_atomic = th::probe(task, "ood_atomic");
  REQUIRE(ood_atomic.facts.size() == 1u);
  CHECK(key(ood_atomic.facts[0]) == std::make_tuple(4, 2, 3));
  CHECK(ood_atomic.facts[0].ood);
  REQUIRE(th::probe(task, "train_inferred").two_hops.size() == 1u);
  CHECK(key(th::probe(task, "train_inferred").two_hops[0]) == std::make_tuple(0, 0, 1, 1, 2));
  CHECK(th::probe(task, "test_inferred_iid").available);  // a type without items: available, empty
  CHECK(th::probe(task, "test_inferred_iid").two_hops.empty());
  REQUIRE(th::probe(task, "test_inferred_ood").two_hops.size() == 1u);
  CHECK(key(th::probe(task, "test_inferred_ood").two_hops[0]) == std::make_tuple(4, 2, 1, 3, 1));
  CHECK_FALSE(th::probe(task, "ood_first_only").available);
  CHECK_FALSE(th::probe(task, "ood_second_only").available);

  // Without vocab.json: one more than the largest index in either file (e_4 and r_2 only in test.json).
  fs::remove(dir.path / "vocab.json");
  const th::TaskData bare = th::read_dataset_directory(dir.str());
  CHECK(bare.vocab.num_entities == 5);
  CHECK(bare.vocab.num_relations == 3);
  CHECK(th::training_rows(bare, th::Arm::cot)[3].tokens == std::vector<int>{0, 5, 6, 1});
}

TEST_CASE("two_hop dataset directory errors name the file, the item and what was expected") {
  Scratch dir("errors");
  const auto contains = [](const std::string& message, std::initializer_list<const char*> parts) {
    CAPTURE(message);
    CHECK(message.find("two_hop.dataset = \"") == 0);
    for (const char* part : parts) {
      CAPTURE(part);
      CHECK(message.find(part) != std::string::npos);
    }
  };
  const auto with = [&](const std::string& file, const std::string& text) {
    write_valid(dir);
    dir.write(file, text);
    return error_of(dir);
  };

  // Missing files and directories.
  write_valid(dir);
  fs::remove(dir.path / "train.json");
  contains(error_of(dir), {"no train.json in it"});
  write_valid(dir);
  fs::remove(dir.path / "test.json");
  contains(error_of(dir), {"no test.json in it"});
  try {
    th::read_dataset_directory((dir.path / "missing").string());
    FAIL("a missing directory was read");
  } catch (const std::invalid_argument& e) {
    contains(e.what(), {"missing\": no such directory"});
  }

  // Malformed JSON: the file and nlohmann's message.
  contains(with("train.json", R"([{"input_text": "<e_0><r_0>",)"), {"train.json is not valid JSON", "parse error"});
  contains(with("test.json", R"({"input_text": "<e_0><r_0>"})"), {"test.json must be a JSON list of items, not a JSON object"});

  // Tokens: only <e_N>, <r_N> and a final </a>.
  contains(with("train.json", R"([{"input_text": "<e_0><r_0>", "target_text": "<e_0><r_0><e_1></a>"},
                                  {"input_text": "<e_1><x_3>", "target_text": "<e_1><x_3><e_2></a>"}])"),
           {"train.json item 1 (input_text \"<e_1><x_3>\", target_text \"<e_1><x_3><e_2></a>\")",
            "input_text: <x_3> is not <e_N>, <r_N> or </a>"});
  contains(with("train.json", R"([{"input_text": "<e_0> <r_0>", "target_text": "<e_0> <r_0><e_1>"}])"),
           {"train.json item 0", "input_text has text outside <...> tokens at character 5"});
  contains(with("train.json", R"([{"input_text": "<e_01><r_0>", "target_text": "<e_01><r_0><e_1>"}])"),
           {"train.json item 0", "<e_01> is not <e_N>, <r_N> or </a>", "without leading zeros"});
  contains(with("train.json", R"([{"input_text": "<e_0><r_0>", "target_text": "<e_0><r_0></a><e_1>"}])"),
           {"train.json item 0", "the answer <e_t> and optionally </a>"});
  contains(with("train.json", R"([{"input_text": "<e_0>", "target_text": "<e_0><e_1>"}])"),
           {"train.json item 0", "expected input_text <e_h><r> (an atomic fact) or <e_h><r_1><r_2> (a two-hop query)"});
  contains(with("train.json", R"([{"input_text": "<e_0><r_0>"}])"),
           {"train.json item 0", "expected a string field \"target_text\""});

  // The target starts with the input; a two-hop needs its bridge.
  contains(with("train.json", R"([{"input_text": "<e_0><r_0>", "target_text": "<e_0><r_0><e_1></a>"},
                                  {"input_text": "<e_0><r_0>", "target_text": "<e_0><r_1><e_1></a>"}])"),
           {"train.json item 1 (input_text \"<e_0><r_0>\", target_text \"<e_0><r_1><e_1></a>\")",
            "expected the target_text to start with the input_text's tokens"});
  contains(with("test.json", R"([{"input_text": "<e_0><r_0>", "target_text": "<e_0><r_0><e_1></a>", "type": "id_atomic"},
      {"input_text": "<e_1><r_1>", "target_text": "<e_1><r_1><e_2></a>", "type": "id_atomic"},
      {"input_text": "<e_0><r_0><r_1>", "target_text": "<e_0><r_0><r_1><e_2></a>", "type": "test_inferred_iid"}])"),
           {"test.json item 2 (input_text \"<e_0><r_0><r_1>\"", "needs the CoT form with the bridge", "no-CoT form"});
  contains(with("train.json", R"([{"input_text": "<e_0><r_0><r_1>", "target_text": "<e_0><r_0><r_1><e_1><e_2>",
                                   "train_noise": 2}])"),
           {"train.json item 0", "expected train_noise 0 or 1, not 2"});

  // test.json types.
  contains(with("test.json", R"([{"input_text": "<e_0><r_0>", "target_text": "<e_0><r_0><e_1></a>", "type": "valid_atomic"}])"),
           {"test.json item 0", "type \"valid_atomic\" is not one of id_atomic, ood_atomic, train_inferred, "
                                "test_inferred_iid, test_inferred_ood"});
  contains(with("test.json", R"([{"input_text": "<e_0><r_0>", "target_text": "<e_0><r_0><e_1></a>"}])"),
           {"test.json item 0", "expected a string field \"type\""});
  contains(with("test.json", R"([{"input_text": "<e_0><r_0>", "target_text": "<e_0><r_0><e_1></a>", "type": "train_inferred"}])"),
           {"test.json item 0", "type train_inferred needs a two-hop item"});

  // vocab.json: every index below its counts; its own tokens <e_0> ... <e_{n-1}>.
  contains(with("test.json", R"([{"input_text": "<e_7><r_0>", "target_text": "<e_7><r_0><e_1></a>", "type": "ood_atomic"}])"),
           {"test.json item 0", "entity <e_7> is not below |E| = 6, the number of <e_N> tokens in vocab.json"});
  contains(with("train.json", R"([{"input_text": "<e_0><r_4><r_0>", "target_text": "<e_0><r_4><r_0><e_1><e_2>"}])"),
           {"train.json item 0", "relation <r_4> is not below |R| = 4"});
  contains(with("vocab.json", R"(["<e_0>", "<e_2>", "<r_0>"])"),
           {"vocab.json has 2 <e_N> tokens, so they must be <e_0> ... <e_1>, but it has <e_2>"});
  contains(with("vocab.json", R"(["<e_0>", "<e_0>", "<r_0>"])"), {"vocab.json item 1 (\"<e_0>\") appears twice"});
  contains(with("vocab.json", R"(["<e_0>", 3])"), {"vocab.json item 1 (3): expected a token string"});
  contains(with("train.json", "[]"), {"train.json has no items"});
}

TEST_CASE("two_hop dataset directory writing refuses an index outside the vocabulary") {
  Scratch dir("write_error");
  write_valid(dir);
  th::TaskData task = th::read_dataset_directory(dir.str());
  task.train_two_hops[1].b = 6;  // |E| = 6
  try {
    th::write_dataset_directory(task, (dir.path / "out").string());
    FAIL("an entity outside the vocabulary was written");
  } catch (const std::invalid_argument& e) {
    const std::string message = e.what();
    CAPTURE(message);
    CHECK(message.find("train_two_hops item 1 has entity 6, allowed are 0 <= entity < |E| = 6") != std::string::npos);
  }
  CHECK_FALSE(fs::exists(dir.path / "out"));  // nothing written
}
