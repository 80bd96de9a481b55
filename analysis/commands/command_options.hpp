#pragma once
// What every command shares, as a library the CLI (cli/) and the Python module (python/) both call:
// the config of a run (embedded defaults, the model's generic defaults, a config file or TOML text,
// then `--set` assignments), the checked model, the rule for warnings, and the options of a run.
// Each command is one library function (theory_command.hpp, simulate_command.hpp, ...); the callers
// only parse their arguments, call it and print or convert what it returns.
#include <atomic>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <cotdyn/core/config.hpp>
#include <cotdyn/models/model.hpp>
#include <cotdyn/simulation/training_loop.hpp>

namespace cotdyn::commands {

// Where a run's config comes from. At most one of `file` and `text` is given.
struct ConfigSource {
  std::string file;                      // --config FILE
  std::string text;                      // TOML text (the Python module: a string or a dict of sections)
  std::vector<std::string> assignments;  // --set section.key=value, in order
};

// The embedded config (with every registered model's sections), then the chosen model's
// generic_defaults(), then the file or text, then each assignment (models::resolve_config).
core::Config load_config(const ConfigSource& source);

// A warning under strict (README, "Failure modes"): the CLI exits with status 3. What was written
// before is kept, with its manifest saying so.
struct WarningAsError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct CommandOptions {
  bool strict = false;                                // --strict: warnings are errors
  const std::atomic<bool>* stop_requested = nullptr;  // polled by long runs (core::interrupt_requested())
  bool progress = true;                               // the progress bar on stderr
  std::function<void(std::int64_t, std::int64_t)> on_progress;  // simulation::RunOptions::on_progress
  bool render = true;                                 // run gnuplot on the figures (--no-render: false)
  std::function<void(const std::string&)> log;        // progress lines; none when empty
};

// The training options of a run under `options`.
simulation::RunOptions run_options(const CommandOptions& options);

// The config's model (model.kind), validated; its warnings are printed to stderr, or, under
// options.strict, thrown as WarningAsError before anything is written.
const models::Model& checked_model(const core::Config& config, const CommandOptions& options);

// The end of a training run: prints how many warnings it had; under strict a warning throws
// WarningAsError (after the caller wrote what it has, in `where`).
void report_warnings(const std::vector<std::string>& warnings, const CommandOptions& options, const std::string& where);

}  // namespace cotdyn::commands
