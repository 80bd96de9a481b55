#pragma once
// One harness that holds every model to the contract (docs/models.md): the same checks, whatever the
// model, run from the model's own test with a small config of its choice.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <cotdyn/analysis/compare/comparison_data.hpp>
#include <cotdyn/analysis/compare/model_comparison.hpp>
#include <cotdyn/core/observation_grid.hpp>
#include <cotdyn/models/model.hpp>
#include <cotdyn/models/schedule.hpp>
#include <cotdyn/simulation/training_loop.hpp>

namespace cotdyn::testing {

struct HarnessTolerance {
  double theory_gap = 0;  // allowed |seed mean - theory|, per compared pair, at every observation
};

inline simulation::RunOptions quiet_run() {
  simulation::RunOptions options;
  options.progress = false;
  return options;
}

// Equal values, NaN equal to NaN (a model marks the values it does not have by NaN).
inline bool same_values(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
  return true;
}

// The theory: "t" first, one row per requested time, every milestone named.
inline void check_theory(const models::Model& model, const core::Config& config) {
  const auto times = core::resolve_observation_times(config);
  const models::Trajectory trajectory = model.theory(config, times);
  REQUIRE(!trajectory.columns.empty());
  CHECK(trajectory.columns.front() == "t");
  REQUIRE(trajectory.rows.size() == times.size());
  for (std::size_t i = 0; i < times.size(); ++i) CHECK(trajectory.rows[i][0] == doctest::Approx(times[i]));
  REQUIRE(trajectory.milestones.size() == model.milestone_names().size());
  for (std::size_t k = 0; k < trajectory.milestones.size(); ++k)
    CHECK(trajectory.milestones[k].name == model.milestone_names()[k]);
  for (const auto& q : model.compared(config)) CHECK(trajectory.has_column(q.theory));
}

// The simulated system: measures every compared column; the same config gives the same run; a run
// saved, loaded into a fresh system and continued equals the uninterrupted run; the seed mean stays
// within the tolerance of the theory; the CSV files name the size's column as the model does.
inline void check_simulation(const models::Model& model, const core::Config& config, const HarnessTolerance& tolerance) {
  const auto schedule = models::schedule(model, config);
  auto system = model.simulated_system(config);
  REQUIRE(system);
  const auto& names = system->observable_names();
  for (const auto& q : model.compared(config))
    CHECK(std::find(names.begin(), names.end(), q.simulated) != names.end());

  const auto result = simulation::train(*system, schedule, quiet_run());
  REQUIRE(result.status.completed());
  auto again = model.simulated_system(config);
  const auto repeat = simulation::train(*again, schedule, quiet_run());
  REQUIRE(repeat.measurements.size() == result.measurements.size());
  for (std::size_t i = 0; i < result.measurements.size(); ++i)
    CHECK(same_values(repeat.measurements[i].values, result.measurements[i].values));

  const auto directory = std::filesystem::temp_directory_path() / ("cotdyn_harness_" + model.name());
  std::filesystem::remove_all(directory);
  auto first = model.simulated_system(config);
  simulation::RunOptions interrupt = quiet_run();
  interrupt.stop_at_step = schedule.final_step() / 2;
  CHECK(simulation::run_simulation(*first, schedule, directory.string(), interrupt).interrupted);
  auto resumed = model.simulated_system(config);
  CHECK(simulation::resume_simulation(*resumed, schedule, directory.string(), quiet_run()).completed());
  auto whole = model.simulated_system(config);
  const auto whole_directory = directory.string() + "_whole";
  std::filesystem::remove_all(whole_directory);
  CHECK(simulation::run_simulation(*whole, schedule, whole_directory, quiet_run()).completed());
  auto text = [](const std::filesystem::path& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  CHECK(text(directory / "simulation.csv") == text(std::filesystem::path(whole_directory) / "simulation.csv"));
  // The size's column carries the model's name for it (models::Model::size_column()).
  const std::string size_column = model.size_column();
  CHECK(text(directory / "simulation.csv").rfind("seed," + size_column + ",step,t,", 0) == 0);
  CHECK(text(directory / "simulation_summary.csv").rfind(size_column + ",step,t,seeds,", 0) == 0);
  std::filesystem::remove_all(directory);
  std::filesystem::remove_all(whole_directory);

  const auto run = compare::to_simulated_run(result, static_cast<int>(schedule.size_value()));
  const auto theory = compare::theory_at_size(model, config, run.d, run.times());
  for (const auto& q : model.compared(config)) {
    CAPTURE(q.simulated);
    const auto mean = run.mean(q.simulated);
    const auto& predicted = theory.values.at(q.theory);
    for (std::size_t i = 0; i < mean.size(); ++i) CHECK(std::abs(mean[i] - predicted[i]) <= tolerance.theory_gap);
  }
}

}  // namespace cotdyn::testing
