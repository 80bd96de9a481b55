#include <cotdyn/analysis/commands/theory_command.hpp>

#include <cotdyn/core/manifest.hpp>
#include <cotdyn/core/output.hpp>
#include <cotdyn/core/output_directory.hpp>

namespace cotdyn::commands {

models::TheoryRun run_theory(const core::Config& config, const std::string& out, const CommandOptions& options) {
  const models::Model& model = checked_model(config, options);
  if (out.empty()) return model.theory_run(config);
  core::Manifest manifest("theory", config);
  models::TheoryRun run = model.theory_run(config);
  const auto directory = core::open_output_directory(out);
  core::CsvTable table(run.trajectory.columns);
  for (const auto& row : run.trajectory.rows) table.add_row(row);
  table.write(directory.path / "theory.csv");
  manifest.results() = run.results;
  manifest.write(directory.path);
  return run;
}

}  // namespace cotdyn::commands
