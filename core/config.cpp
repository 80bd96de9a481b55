#include <cotdyn/core/config.hpp>

#include <atomic>
#include <limits>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

namespace cotdyn::core {

namespace {

std::pair<std::string, std::string> split_key(const std::string& dotted) {
  const auto dot = dotted.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == dotted.size())
    throw std::invalid_argument(fmt::format(
        "config key '{}': keys are written section.key, for example train.eta_W", dotted));
  return {dotted.substr(0, dot), dotted.substr(dot + 1)};
}

std::string known_keys(const toml::table& section) {
  std::string keys;
  for (auto&& [k, v] : section) keys += (keys.empty() ? "" : ", ") + std::string(k.str());
  return keys;
}

// Checks that every key of `overrides` exists in `defaults`, then writes it over.
void merge_into(toml::table& defaults, const toml::table& overrides, const std::string& origin) {
  for (auto&& [section_key, section_node] : overrides) {
    const std::string section(section_key.str());
    auto* target = defaults.get_as<toml::table>(section);
    if (!target) {
      throw std::invalid_argument(fmt::format("{}: unknown config section [{}] (known: {})", origin, section,
                                              known_keys(defaults)));
    }
    const auto* values = section_node.as_table();
    if (!values)
      throw std::invalid_argument(fmt::format("{}: [{}] must be a table of keys", origin, section));
    for (auto&& [key, value] : *values) {
      const std::string name(key.str());
      if (!target->contains(name))
        throw std::invalid_argument(fmt::format("{}: unknown config key {}.{} (known keys of [{}]: {})", origin,
                                                section, name, section, known_keys(*target)));
      target->insert_or_assign(name, value);
    }
  }
}

std::mutex& sections_mutex() {
  static std::mutex m;
  return m;
}
std::string& added_sections() {
  static std::string text;
  return text;
}

std::atomic<void (*)()>& sections_loader() {
  static std::atomic<void (*)()> loader{nullptr};
  return loader;
}

}  // namespace

void set_default_sections_loader(void (*loader)()) { sections_loader() = loader; }

std::string default_config_text() {
  if (const auto load = sections_loader().load()) load();  // before the lock: it adds sections
  std::lock_guard<std::mutex> lock(sections_mutex());
  return embedded_config_text() + added_sections();
}

void add_default_sections(const std::string& toml_text) {
  std::lock_guard<std::mutex> lock(sections_mutex());
  added_sections() += "\n" + toml_text;
  if (!toml_text.empty() && toml_text.back() != '\n') added_sections() += '\n';
}

std::string describe(const toml::node& node) {
  std::ostringstream out;
  node.visit([&out](auto&& v) {
    if constexpr (toml::is_string<decltype(v)>)
      out << '"' << v.get() << '"';
    else
      out << v;
  });
  return out.str();
}

Config::Config() : table_(toml::parse(default_config_text(), std::string_view("default config"))) {}

void Config::merge_file(const std::string& path) {
  toml::table file;
  try {
    file = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    throw std::invalid_argument(fmt::format("--config {}: not valid TOML: {} (line {})", path, e.description(),
                                            e.source().begin.line));
  }
  merge_into(table_, file, "--config " + path);
}

void Config::merge_text(const std::string& text, const std::string& origin) {
  toml::table parsed;
  try {
    parsed = toml::parse(text, std::string_view(origin));
  } catch (const toml::parse_error& e) {
    throw std::invalid_argument(fmt::format("{}: not valid TOML: {} (line {})", origin, e.description(),
                                            e.source().begin.line));
  }
  merge_into(table_, parsed, origin);
}

void Config::apply_set(const std::string& assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos)
    throw std::invalid_argument(fmt::format(
        "--set '{}': expected section.key=value, for example --set train.eta_A=1.5", assignment));
  const std::string key = assignment.substr(0, eq), text = assignment.substr(eq + 1);
  toml::table parsed;
  try {
    parsed = toml::parse("value = " + text);
  } catch (const toml::parse_error&) {
    parsed.insert_or_assign("value", text);  // not a TOML value: take it as a string
  }
  set(key, *parsed.get("value"));
}

void Config::set(const std::string& dotted_key, const toml::node& value) {
  const auto [section, key] = split_key(dotted_key);
  toml::table single;
  toml::table inner;
  inner.insert_or_assign(key, value);
  single.insert_or_assign(section, std::move(inner));
  merge_into(table_, single, "--set " + dotted_key);
}

const toml::node& Config::get(const std::string& key) const {
  const toml::node* node = table_.at_path(key).node();
  if (!node) throw std::invalid_argument(fmt::format("unknown config key {}", key));
  return *node;
}

bool Config::is_string(const std::string& key) const { return get(key).is_string(); }

namespace {
// A TOML number as a double. toml++ gives no double for an integer beyond 2^53 (it would round), so
// an integer is converted here, rounding like its floating-point spelling: 2^62 and 4.611686e18 are
// the same number to every key.
std::optional<double> number_of(const toml::node& node) {
  if (node.is_floating_point()) return node.value<double>();
  if (node.is_integer()) return static_cast<double>(*node.value<std::int64_t>());
  return std::nullopt;
}
}  // namespace

double Config::get_number(const std::string& key) const {
  const toml::node& node = get(key);
  if (const auto v = number_of(node)) return *v;
  throw std::invalid_argument(fmt::format("{} = {}: must be a number", key, describe(node)));
}

std::int64_t Config::get_integer(const std::string& key) const {
  const toml::node& node = get(key);
  if (node.is_integer()) return *node.value<std::int64_t>();
  throw std::invalid_argument(fmt::format("{} = {}: must be an integer", key, describe(node)));
}

bool Config::get_bool(const std::string& key) const {
  const toml::node& node = get(key);
  if (node.is_boolean()) return *node.value<bool>();
  throw std::invalid_argument(fmt::format("{} = {}: must be true or false", key, describe(node)));
}

std::string Config::get_string(const std::string& key) const {
  const toml::node& node = get(key);
  if (node.is_string()) return *node.value<std::string>();
  throw std::invalid_argument(fmt::format("{} = {}: must be a string in quotes", key, describe(node)));
}

std::vector<double> Config::get_number_list(const std::string& key) const {
  const toml::node& node = get(key);
  if (const auto v = number_of(node)) return {*v};
  std::vector<double> out;
  if (const auto* array = node.as_array()) {
    for (auto&& item : *array) {
      const auto v = number_of(item);
      if (!v) break;
      out.push_back(*v);
    }
    if (out.size() == array->size()) return out;
  }
  throw std::invalid_argument(fmt::format("{} = {}: must be a number or a list of numbers", key, describe(node)));
}

std::vector<std::int64_t> Config::get_integer_list(const std::string& key) const {
  const toml::node& node = get(key);
  if (node.is_integer()) return {*node.value<std::int64_t>()};
  std::vector<std::int64_t> out;
  if (const auto* array = node.as_array()) {
    for (auto&& item : *array) {
      if (!item.is_integer()) break;
      out.push_back(*item.value<std::int64_t>());
    }
    if (out.size() == array->size()) return out;
  }
  throw std::invalid_argument(fmt::format("{} = {}: must be an integer or a list of integers", key, describe(node)));
}

std::vector<std::string> Config::get_string_list(const std::string& key) const {
  const toml::node& node = get(key);
  if (node.is_string()) return {*node.value<std::string>()};
  std::vector<std::string> out;
  if (const auto* array = node.as_array()) {
    for (auto&& item : *array) {
      if (!item.is_string()) break;
      out.push_back(*item.value<std::string>());
    }
    if (out.size() == array->size()) return out;
  }
  throw std::invalid_argument(fmt::format("{} = {}: must be a string or a list of strings", key, describe(node)));
}

// A list of lists whose entries `read` converts (std::nullopt: not allowed); std::nullopt on a mismatch.
template <class T, class Read>
std::optional<std::vector<std::vector<T>>> read_matrix(const toml::node& node, Read read) {
  std::vector<std::vector<T>> out;
  const auto* rows = node.as_array();
  if (!rows) return std::nullopt;
  for (auto&& row_node : *rows) {
    const auto* row = row_node.as_array();
    if (!row) return std::nullopt;
    out.emplace_back();
    for (auto&& item : *row) {
      const std::optional<T> value = read(item);
      if (!value) return std::nullopt;
      out.back().push_back(*value);
    }
  }
  return out;
}

std::vector<std::vector<int>> Config::get_integer_matrix(const std::string& key) const {
  const toml::node& node = get(key);
  const auto out = read_matrix<int>(node, [](const toml::node& item) -> std::optional<int> {
    if (!item.is_integer()) return std::nullopt;
    const std::int64_t value = *item.value<std::int64_t>();
    if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max()) return std::nullopt;
    return static_cast<int>(value);
  });
  if (!out)
    throw std::invalid_argument(fmt::format(
        "{} = {}: must be a list of integer lists, for example [[1,0,2,3],[0,2,1,3]]", key, describe(node)));
  return *out;
}

int Config::get_int(const std::string& key) const {
  return static_cast<int>(get_integer_in(key, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
}

std::int64_t Config::get_integer_in(const std::string& key, std::int64_t low, std::int64_t high) const {
  const auto value = get_integer(key);
  if (value < low || value > high)
    throw std::invalid_argument(fmt::format("{} = {}: must be an integer in [{}, {}]", key, value, low, high));
  return value;
}

std::vector<std::vector<double>> Config::get_number_matrix(const std::string& key) const {
  const toml::node& node = get(key);
  const auto out = read_matrix<double>(node, [](const toml::node& item) { return number_of(item); });
  if (!out)
    throw std::invalid_argument(
        fmt::format("{} = {}: must be a list of number lists, for example [[0.01, 0.0], [0.0, 0.01]]", key, describe(node)));
  return *out;
}

std::string Config::to_toml() const {
  std::ostringstream out;
  out << toml::toml_formatter(table_);
  return out.str();
}

std::string Config::to_json() const {
  std::ostringstream out;
  out << toml::json_formatter(table_);
  return out.str();
}

}  // namespace cotdyn::core
