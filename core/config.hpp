#pragma once
// cotdyn's configuration: the embedded default TOML, overridden by a config file and by
// `--set section.key=value`. Every key must exist in the default; values are checked when a
// command reads them, with errors that name the key, the value and what is allowed.
#include <cstdint>
#include <string>
#include <vector>

#include <toml++/toml.h>

namespace cotdyn::core {

// The embedded default configuration (core/default_config.toml), verbatim with its comments.
const std::string& embedded_config_text();
// The default configuration: the embedded one, then the sections each registered model adds
// (docs/models.md). A Config made before a model is registered does not know its keys.
std::string default_config_text();
// Appends a model's own sections (TOML text with every default); the model registry calls it.
void add_default_sections(const std::string& toml_text);
// A function default_config_text() calls first, so that the registered models have added their
// sections before any Config is made; the model registry installs it.
void set_default_sections_loader(void (*loader)());

class Config {
 public:
  Config();  // the embedded default

  // Deep-merges a TOML file; unknown keys are errors. Throws std::invalid_argument.
  void merge_file(const std::string& path);
  // The same for TOML text; `origin` names it in error messages (e.g. "config text").
  void merge_text(const std::string& text, const std::string& origin);
  // `section.key=value`; the value is parsed as a TOML value, or taken as a string if it is not one.
  void apply_set(const std::string& assignment);
  // Sets one dotted key to a TOML value (used by sweeps).
  void set(const std::string& dotted_key, const toml::node& value);

  double get_number(const std::string& key) const;  // accepts integers and floats
  std::int64_t get_integer(const std::string& key) const;
  // An integer in [low, high]; std::invalid_argument names the key, the value and the range.
  std::int64_t get_integer_in(const std::string& key, std::int64_t low, std::int64_t high) const;
  // An integer that fits an int (refused outside int's range; the model's own check says what is allowed).
  int get_int(const std::string& key) const;
  bool get_bool(const std::string& key) const;
  std::string get_string(const std::string& key) const;
  std::vector<double> get_number_list(const std::string& key) const;  // a number is a one-element list
  std::vector<std::int64_t> get_integer_list(const std::string& key) const;
  std::vector<std::string> get_string_list(const std::string& key) const;
  std::vector<std::vector<int>> get_integer_matrix(const std::string& key) const;
  std::vector<std::vector<double>> get_number_matrix(const std::string& key) const;
  const toml::node& get(const std::string& key) const;
  bool is_string(const std::string& key) const;

  const toml::table& table() const { return table_; }
  std::string to_toml() const;
  std::string to_json() const;

 private:
  toml::table table_;
};

// Formats a TOML node for error messages.
std::string describe(const toml::node& node);

}  // namespace cotdyn::core
