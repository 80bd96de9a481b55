// The config of a command: the same resolution whether it comes from a file, from TOML text or from
// --set assignments (commands::load_config), and the warning rule.
#include <cotdyn/analysis/commands/command_options.hpp>

#include <filesystem>
#include <fstream>

#include <doctest/doctest.h>

using namespace cotdyn;

TEST_CASE("a config file and the same TOML text resolve to the same config") {
  const std::string text = "[model]\nkind = \"committee\"\n[committee]\neta = 0.5\n";
  const auto path = std::filesystem::temp_directory_path() / "cotdyn_test_command_options.toml";
  { std::ofstream(path) << text; }
  commands::ConfigSource file, inline_text, sets;
  file.file = path.string();
  inline_text.text = text;
  sets.assignments = {"model.kind=committee", "committee.eta=0.5"};
  const auto a = commands::load_config(file).to_toml();
  CHECK(a == commands::load_config(inline_text).to_toml());
  CHECK(a == commands::load_config(sets).to_toml());
  // The committee machine's defaults of generic keys apply under the text (models::resolve_config).
  CHECK(commands::load_config(inline_text).get_number("train.t_max") == 500);
  // Assignments come last and win.
  inline_text.assignments = {"train.t_max=7"};
  CHECK(commands::load_config(inline_text).get_number("train.t_max") == 7);
  std::filesystem::remove(path);
}

TEST_CASE("a file and text together are refused") {
  commands::ConfigSource both;
  both.file = "a.toml";
  both.text = "[train]\nt_max = 1\n";
  CHECK_THROWS_AS(commands::load_config(both), std::invalid_argument);
}

TEST_CASE("under strict a model warning is an error before anything runs") {
  commands::ConfigSource source;
  source.assignments = {"model.kind=tree", "tree.heads=1"};
  const auto config = commands::load_config(source);
  commands::CommandOptions options;
  CHECK_NOTHROW(commands::checked_model(config, options));
  options.strict = true;
  CHECK_THROWS_AS(commands::checked_model(config, options), commands::WarningAsError);
}
