#include <cotdyn/simulation/two_hop/dataset_directory.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <optional>
#include <set>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cotdyn/plots/atomic_write.hpp>

namespace cotdyn::simulation::two_hop {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using nlohmann::ordered_json;

// The config key that names a dataset directory; every reading error starts with it.
constexpr const char* kKey = "two_hop.dataset";
// The public format's test types are the first five probe names (task_data.hpp).
constexpr std::size_t kPublicTypes = 5;
// N of <e_N> and <r_N> has at most this many digits (docs/models/two_hop.md §6).
constexpr std::size_t kMaxDigits = 9;
// The public code's special tokens, written after the entities and relations of vocab.json.
const std::vector<std::string> kSpecialTokens = {"<mask>", "<sep>", "<a>", "</a>", "<q>", "</q>", "<b>"};

[[noreturn]] void reject(const std::string& directory, const std::string& what) {
  throw std::invalid_argument(fmt::format("{} = \"{}\": {}", kKey, directory, what));
}

// What is wrong with one item; the item loop adds the file, the index and the text.
struct BadItem {
  std::string what;
};

enum class Kind { entity, relation, end };
struct Token {
  Kind kind = Kind::end;
  int index = 0;
};

std::string entity_token(int i) { return fmt::format("<e_{}>", i); }
std::string relation_token(int j) { return fmt::format("<r_{}>", j); }

// <e_N>, <r_N> (N decimal, no sign, no leading zero, at most kMaxDigits digits) or </a>; `body` is
// the text between < and >.
Token parse_token(std::string_view body) {
  if (body == "/a") return {Kind::end, 0};
  if (body.size() > 2 && (body[0] == 'e' || body[0] == 'r') && body[1] == '_') {
    const auto digits = body.substr(2);
    const bool decimal = std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (decimal && digits.size() <= kMaxDigits && (digits.size() == 1 || digits[0] != '0')) {
      int value = 0;
      for (const char c : digits) value = value * 10 + (c - '0');
      return {body[0] == 'e' ? Kind::entity : Kind::relation, value};
    }
  }
  throw BadItem{fmt::format("<{}> is not <e_N>, <r_N> or </a> (N a decimal index without leading zeros, at most {} digits)",
                            body, kMaxDigits)};
}

// The <...> pieces of a text; anything outside them is an error.
std::vector<Token> tokenize(const std::string& field, const std::string& text) {
  std::vector<Token> tokens;
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (text[pos] != '<') throw BadItem{fmt::format("{} has text outside <...> tokens at character {}", field, pos)};
    const auto close = text.find('>', pos);
    if (close == std::string::npos) throw BadItem{fmt::format("{} has an unclosed < at character {}", field, pos)};
    try {
      tokens.push_back(parse_token(std::string_view(text).substr(pos + 1, close - pos - 1)));
    } catch (BadItem& bad) {
      bad.what = fmt::format("{}: {}", field, bad.what);
      throw;
    }
    pos = close + 1;
  }
  return tokens;
}

// One parsed item (indices, not token ids).
struct Item {
  bool two_hop = false;
  int h = 0, r1 = 0, r2 = 0, b = 0, t = 0;
  bool noisy = false;
};

const std::string& string_field(const json& item, const char* name) {
  const auto it = item.find(name);
  if (it == item.end() || !it->is_string()) throw BadItem{fmt::format("expected a string field \"{}\"", name)};
  return it->get_ref<const std::string&>();
}

// An atomic item: input <e_h><r>, target = input + <e_t> (+ </a>). A two-hop: input <e_h><r_1><r_2>,
// target = input + <e_b><e_t> (+ </a>). The optional train_noise (0 or 1) marks a noisy two-hop.
Item parse_item(const json& item) {
  if (!item.is_object()) throw BadItem{"expected a JSON object with input_text and target_text"};
  const auto input = tokenize("input_text", string_field(item, "input_text"));
  const auto target = tokenize("target_text", string_field(item, "target_text"));
  const auto kinds = [](const std::vector<Token>& tokens, std::initializer_list<Kind> expected) {
    return std::equal(tokens.begin(), tokens.end(), expected.begin(), expected.end(),
                      [](const Token& t, Kind k) { return t.kind == k; });
  };
  Item out;
  out.two_hop = kinds(input, {Kind::entity, Kind::relation, Kind::relation});
  if (!out.two_hop && !kinds(input, {Kind::entity, Kind::relation}))
    throw BadItem{"expected input_text <e_h><r> (an atomic fact) or <e_h><r_1><r_2> (a two-hop query)"};
  const auto same = [](const Token& a, const Token& b) { return a.kind == b.kind && a.index == b.index; };
  if (target.size() < input.size() || !std::equal(input.begin(), input.end(), target.begin(), same))
    throw BadItem{"expected the target_text to start with the input_text's tokens"};
  std::vector<Token> answer(target.begin() + static_cast<std::ptrdiff_t>(input.size()), target.end());
  if (!answer.empty() && answer.back().kind == Kind::end) answer.pop_back();
  const bool entities = std::all_of(answer.begin(), answer.end(), [](const Token& t) { return t.kind == Kind::entity; });
  out.h = input[0].index;
  out.r1 = input[1].index;
  if (!out.two_hop) {
    if (answer.size() != 1 || !entities)
      throw BadItem{"expected the target_text of an atomic item to be its input_text, the answer <e_t> and "
                    "optionally </a>"};
    out.t = answer[0].index;
    return out;
  }
  if (answer.size() == 1 && entities)
    throw BadItem{"a two-hop item needs the CoT form with the bridge, target_text <e_h><r_1><r_2><e_b><e_t></a>; "
                  "this one has only the answer (the no-CoT form)"};
  if (answer.size() != 2 || !entities)
    throw BadItem{"expected the target_text of a two-hop item to be its input_text, the bridge and the answer "
                  "<e_b><e_t>, and optionally </a>"};
  out.r2 = input[2].index;
  out.b = answer[0].index;
  out.t = answer[1].index;
  if (const auto noise = item.find("train_noise"); noise != item.end()) {
    if (noise->is_boolean()) {
      out.noisy = noise->get<bool>();
    } else if (noise->is_number_integer() && (noise->get<long long>() == 0 || noise->get<long long>() == 1)) {
      out.noisy = noise->get<long long>() == 1;
    } else {
      throw BadItem{fmt::format("expected train_noise 0 or 1, not {}", noise->dump())};
    }
  }
  return out;
}

// The item as the error message shows it: its input_text and target_text, else its JSON (shortened).
std::string describe(const json& item) {
  if (item.is_object() && item.contains("input_text") && item.contains("target_text"))
    return fmt::format("input_text {}, target_text {}", item["input_text"].dump(), item["target_text"].dump());
  auto text = item.dump();
  if (text.size() > 200) text = text.substr(0, 200) + "...";
  return text;
}

// A JSON list read from DIR/name; nullopt if the file is optional and missing.
std::optional<json> load_list(const std::string& directory, const std::string& name, bool required) {
  const fs::path path = fs::path(directory) / name;
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    if (required) reject(directory, fmt::format("no {} in it", name));
    return std::nullopt;
  }
  if (!fs::is_regular_file(path, ec)) reject(directory, fmt::format("{} in it is not a regular file", name));
  std::ifstream in(path, std::ios::binary);
  if (!in) reject(directory, fmt::format("cannot read {}", name));
  json list;
  try {
    list = json::parse(in);
  } catch (const json::exception& e) {
    reject(directory, fmt::format("{} is not valid JSON: {}", name, e.what()));
  }
  if (!list.is_array()) reject(directory, fmt::format("{} must be a JSON list of items, not a JSON {}", name, list.type_name()));
  return list;
}

// |E| and |R| from vocab.json: its <e_N> tokens must be <e_0> ... <e_{|E|-1}>, each once (the same for
// relations); its other tokens (</a>, <mask>, ...) are not counted.
struct Limits {
  int entities = 0, relations = 0;
};

std::optional<Limits> read_vocab(const std::string& directory) {
  const auto list = load_list(directory, "vocab.json", false);
  if (!list) return std::nullopt;
  std::set<int> entities, relations;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const json& item = (*list)[i];
    if (!item.is_string()) reject(directory, fmt::format("vocab.json item {} ({}): expected a token string", i, describe(item)));
    const auto& text = item.get_ref<const std::string&>();
    if (text.rfind("<e_", 0) != 0 && text.rfind("<r_", 0) != 0) continue;
    std::vector<Token> tokens;
    try {
      tokens = tokenize("the token", text);
    } catch (const BadItem& bad) {
      reject(directory, fmt::format("vocab.json item {} (\"{}\"): {}", i, text, bad.what));
    }
    if (tokens.size() != 1) reject(directory, fmt::format("vocab.json item {} (\"{}\"): expected one token", i, text));
    auto& seen = tokens[0].kind == Kind::entity ? entities : relations;
    if (!seen.insert(tokens[0].index).second) reject(directory, fmt::format("vocab.json item {} (\"{}\") appears twice", i, text));
  }
  const auto check = [&](const std::set<int>& seen, const char* letter) {
    if (!seen.empty() && *seen.rbegin() >= static_cast<int>(seen.size()))
      reject(directory, fmt::format("vocab.json has {} <{}_N> tokens, so they must be <{}_0> ... <{}_{}>, but it has <{}_{}>",
                                    seen.size(), letter, letter, letter, seen.size() - 1, letter, *seen.rbegin()));
  };
  check(entities, "e");
  check(relations, "r");
  return Limits{static_cast<int>(entities.size()), static_cast<int>(relations.size())};
}

void check_limits(const Item& item, const Limits& limits) {
  const auto entity = [&](int i) {
    if (i >= limits.entities)
      throw BadItem{fmt::format("entity <e_{}> is not below |E| = {}, the number of <e_N> tokens in vocab.json", i,
                                limits.entities)};
  };
  const auto relation = [&](int j) {
    if (j >= limits.relations)
      throw BadItem{fmt::format("relation <r_{}> is not below |R| = {}, the number of <r_N> tokens in vocab.json", j,
                                limits.relations)};
  };
  entity(item.h);
  relation(item.r1);
  if (item.two_hop) {
    relation(item.r2);
    entity(item.b);
  }
  entity(item.t);
}

// Reads every item of one file (`typed`: with the test.json "type"), calling add(item, type).
template <class Add>
void read_items(const std::string& directory, const std::string& name, const json& list, bool typed,
                const std::optional<Limits>& limits, int& max_entity, int& max_relation, Add add) {
  const auto& names = probe_names();
  for (std::size_t i = 0; i < list.size(); ++i) {
    const json& entry = list[i];
    try {
      const Item item = parse_item(entry);
      if (limits) check_limits(item, *limits);
      max_entity = std::max({max_entity, item.h, item.b, item.t});
      max_relation = std::max({max_relation, item.r1, item.r2});
      std::size_t type = 0;
      if (typed) {
        const auto& text = string_field(entry, "type");
        type = static_cast<std::size_t>(std::find(names.begin(), names.begin() + kPublicTypes, text) - names.begin());
        if (type == kPublicTypes) {
          std::string allowed;
          for (std::size_t k = 0; k < kPublicTypes; ++k) allowed += (k ? ", " : "") + names[k];
          throw BadItem{fmt::format("type \"{}\" is not one of {}", text, allowed)};
        }
        if (item.two_hop != probe_is_two_hop(names[type]))
          throw BadItem{fmt::format("type {} needs {} item", names[type], item.two_hop ? "an atomic" : "a two-hop")};
      }
      add(item, type);
    } catch (const BadItem& bad) {
      reject(directory, fmt::format("{} item {} ({}): {}", name, i, describe(entry), bad.what));
    }
  }
}

Fact to_fact(const Item& item, bool ood) { return Fact{item.h, item.r1, item.t, ood}; }
TwoHop to_two_hop(const Item& item) {
  return TwoHop{item.h, item.r1, item.r2, item.b, item.t, /*first=*/-1, /*second=*/-1, item.noisy};
}

// ---- writing ----

ordered_json atomic_json(const Fact& fact) {
  const auto input = entity_token(fact.h) + relation_token(fact.r);
  ordered_json item;
  item["input_text"] = input;
  item["target_text"] = input + entity_token(fact.t) + "</a>";
  return item;
}

ordered_json two_hop_json(const TwoHop& x) {
  const auto input = entity_token(x.h) + relation_token(x.r1) + relation_token(x.r2);
  ordered_json item;
  item["input_text"] = input;
  item["target_text"] = input + entity_token(x.b) + entity_token(x.t) + "</a>";
  item["train_noise"] = x.noisy ? 1 : 0;
  return item;
}

// A JSON list with one compact item per line.
std::string json_lines(const std::vector<ordered_json>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ",\n" : "\n") + items[i].dump();
  return out + "\n]\n";
}

class IndexCheck {
 public:
  IndexCheck(const Vocabulary& vocab, const std::string& directory) : vocab_(vocab), directory_(directory) {}
  void operator()(const std::string& where, std::size_t i, const Fact& f) const {
    entity(where, i, f.h);
    relation(where, i, f.r);
    entity(where, i, f.t);
  }
  void operator()(const std::string& where, std::size_t i, const TwoHop& x) const {
    entity(where, i, x.h);
    relation(where, i, x.r1);
    relation(where, i, x.r2);
    entity(where, i, x.b);
    entity(where, i, x.t);
  }

 private:
  void entity(const std::string& where, std::size_t i, int e) const {
    if (e < 0 || e >= vocab_.num_entities) fail(where, i, "entity", e, "|E|", vocab_.num_entities);
  }
  void relation(const std::string& where, std::size_t i, int r) const {
    if (r < 0 || r >= vocab_.num_relations) fail(where, i, "relation", r, "|R|", vocab_.num_relations);
  }
  [[noreturn]] void fail(const std::string& where, std::size_t i, const char* what, int value, const char* size,
                         int limit) const {
    throw std::invalid_argument(fmt::format("cannot write the two-hop task data to \"{}\": {} item {} has {} {}, "
                                            "allowed are 0 <= {} < {} = {}",
                                            directory_, where, i, what, value, what, size, limit));
  }
  const Vocabulary& vocab_;
  const std::string& directory_;
};

}  // namespace

TaskData read_dataset_directory(const std::string& directory) {
  std::error_code ec;
  if (!fs::is_directory(directory, ec))
    reject(directory, fs::exists(directory, ec) ? "not a directory" : "no such directory");
  const auto train = load_list(directory, "train.json", true);
  const auto test = load_list(directory, "test.json", true);
  const auto limits = read_vocab(directory);
  if (train->empty()) reject(directory, "train.json has no items (expected at least one training item)");

  TaskData task;
  const auto& names = probe_names();
  for (const auto& name : names) {
    ProbeSet p;
    p.name = name;
    p.available = task.probes.size() < kPublicTypes;
    task.probes.push_back(std::move(p));
  }
  int max_entity = -1, max_relation = -1;
  read_items(directory, "train.json", *train, false, limits, max_entity, max_relation, [&](const Item& item, std::size_t) {
    if (item.two_hop)
      task.train_two_hops.push_back(to_two_hop(item));
    else
      task.train_facts.push_back(to_fact(item, false));
  });
  read_items(directory, "test.json", *test, true, limits, max_entity, max_relation, [&](const Item& item, std::size_t type) {
    auto& p = task.probes[type];
    if (item.two_hop)
      p.two_hops.push_back(to_two_hop(item));
    else
      p.facts.push_back(to_fact(item, p.name == "ood_atomic"));
  });
  task.vocab = limits ? Vocabulary{limits->entities, limits->relations, false}
                      : Vocabulary{max_entity + 1, max_relation + 1, false};
  task.source = directory;
  return task;
}

void write_dataset_directory(const TaskData& task, const std::string& directory) {
  const IndexCheck check(task.vocab, directory);
  std::vector<ordered_json> train;
  train.reserve(task.train_facts.size() + task.train_two_hops.size());
  for (std::size_t i = 0; i < task.train_facts.size(); ++i) {
    check("train_facts", i, task.train_facts[i]);
    train.push_back(atomic_json(task.train_facts[i]));
  }
  for (std::size_t i = 0; i < task.train_two_hops.size(); ++i) {
    check("train_two_hops", i, task.train_two_hops[i]);
    train.push_back(two_hop_json(task.train_two_hops[i]));
  }
  std::vector<ordered_json> test;
  const auto& names = probe_names();
  for (std::size_t k = 0; k < kPublicTypes; ++k) {
    const ProbeSet& p = probe(task, names[k]);
    if (!p.available) continue;
    const auto typed = [&](ordered_json item) {
      item["type"] = p.name;
      test.push_back(std::move(item));
    };
    for (std::size_t i = 0; i < p.facts.size(); ++i) {
      check(p.name, i, p.facts[i]);
      typed(atomic_json(p.facts[i]));
    }
    for (std::size_t i = 0; i < p.two_hops.size(); ++i) {
      check(p.name, i, p.two_hops[i]);
      typed(two_hop_json(p.two_hops[i]));
    }
  }
  json vocab = json::array();
  for (int i = 0; i < task.vocab.num_entities; ++i) vocab.push_back(entity_token(i));
  for (int j = 0; j < task.vocab.num_relations; ++j) vocab.push_back(relation_token(j));
  for (const auto& special : kSpecialTokens) vocab.push_back(special);

  std::error_code ec;
  fs::create_directories(directory, ec);
  if (ec) throw std::runtime_error(fmt::format("cannot create the directory \"{}\": {}", directory, ec.message()));
  const fs::path dir(directory);
  plots::write_file_atomically(dir / "train.json", json_lines(train));
  plots::write_file_atomically(dir / "test.json", json_lines(test));
  plots::write_file_atomically(dir / "vocab.json", vocab.dump() + "\n");
}

}  // namespace cotdyn::simulation::two_hop
