#include <cotdyn/simulation/training_loop.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>

#include <fmt/format.h>

#include <cotdyn/simulation/checkpoint.hpp>
#include <cotdyn/simulation/csv_output.hpp>
#include <cotdyn/simulation/progress_bar.hpp>

namespace cotdyn::simulation {

namespace {

struct LoopHooks {
  std::function<void(const std::vector<Measurement>&)> measured;  // new rows of one observation
  std::function<void(const LoopState&)> checkpoint;               // after each observation and on stop
};

// The training loop: steps all seeds, observes at the observation steps, records failures.
void run_loop(const Schedule& schedule, SimulatedSystem& system, LoopState& state,
              const RunOptions& options, const LoopHooks& hooks) {
  const std::vector<std::int64_t> observe_at = schedule.observation_steps();
  const std::int64_t final_step = schedule.final_step();
  const auto size = static_cast<int>(schedule.size_value());
  const int E = system.num_seeds();
  if (state.failed.empty()) state.failed.assign(E, false);
  if (state.checks.empty()) state.checks = RunChecks(E, schedule.base_seed);
  auto warn = [&](const std::vector<RunWarning>& warnings) {
    for (const auto& w : warnings) {
      state.status.warnings.push_back(w);
      fmt::print(stderr, "\nwarning: {}\n", w.message());
    }
    if (options.strict && !warnings.empty()) state.status.stopped_by_warning = true;
  };
  auto time_of = [&](std::int64_t step) { return static_cast<double>(step) / schedule.steps_per_unit_time; };
  auto fail = [&](int e, const std::string& quantity) {
    state.failed[e] = true;
    state.status.failures.push_back({schedule.base_seed + e, state.step, time_of(state.step), quantity});
    fmt::print(stderr, "\n{}\n", state.status.failures.back().message());
  };
  auto all_failed = [&] { return std::all_of(state.failed.begin(), state.failed.end(), [](bool f) { return f; }); };

  ProgressBar progress(fmt::format("{}={} seeds={}", schedule.size_column, size, E), state.step, final_step, options.progress);
  state.status.interrupted = false;
  while (true) {
    if (state.next_observation < observe_at.size() && observe_at[state.next_observation] == state.step) {
      const auto values = system.observe();
      std::vector<Measurement> rows;
      std::vector<std::vector<double>> checked(E);
      for (int e = 0; e < E; ++e) {
        if (state.failed[e]) continue;
        const std::string bad = system.nonfinite_weight(e);
        if (!bad.empty()) {
          fail(e, bad);
          continue;
        }
        rows.push_back({schedule.base_seed + e, size, state.step, time_of(state.step), values[e]});
        checked[e] = values[e];
      }
      warn(state.checks.observed(state.step, time_of(state.step), system.observable_names(), checked,
                                 system.saturated_softmaxes()));
      state.measurements.insert(state.measurements.end(), rows.begin(), rows.end());
      ++state.next_observation;
      if (hooks.measured) hooks.measured(rows);
      if (hooks.checkpoint) hooks.checkpoint(state);
    }
    // The system's own stopping rule is asked only right after an observation (the rows end there).
    const bool system_done = !observe_at.empty() && state.next_observation > 0 &&
                             observe_at[state.next_observation - 1] == state.step && system.finished();
    if (state.step >= final_step || all_failed() || system_done) {
      if (state.step >= final_step || system_done) warn(state.checks.finished(state.step, time_of(state.step)));
      break;
    }
    if (state.status.stopped_by_warning) {
      if (hooks.checkpoint) hooks.checkpoint(state);
      break;
    }
    if ((options.stop_requested && options.stop_requested->load()) ||
        (options.stop_at_step >= 0 && state.step >= options.stop_at_step)) {
      state.status.interrupted = true;
      if (hooks.checkpoint) hooks.checkpoint(state);
      break;
    }
    const std::vector<double> loss = system.train_step();
    ++state.step;
    state.checks.step_losses(state.step, loss);
    for (int e = 0; e < E; ++e)
      if (!state.failed[e] && !std::isfinite(loss[e])) fail(e, "training loss");
    progress.update(state.step);
    if (options.on_progress) options.on_progress(state.step, final_step);
  }
  progress.finish(state.status.interrupted        ? "interrupted: resume with --resume"
                  : state.status.stopped_by_warning ? "stopped by a warning (--strict)"
                                                    : "done");
}

// simulation.csv is rewritten whole (atomically) with every observation, like the checkpoint that
// follows it, so a run killed at any moment leaves whole rows (README, "Failure modes"). It starts as
// the rows the state already holds (none, or those of the checkpoint a resume starts from).
RunStatus run_into_directory(const Schedule& schedule, SimulatedSystem& system, LoopState& state,
                             const std::string& run_directory, const RunOptions& options) {
  const auto& columns = system.observable_names();
  const std::string csv_path = (std::filesystem::path(run_directory) / "simulation.csv").string();
  auto write_csv = [&] { write_measurements_csv(csv_path, columns, state.measurements, schedule.size_column); };
  write_csv();
  LoopHooks hooks;
  hooks.measured = [&](const std::vector<Measurement>&) { write_csv(); };
  hooks.checkpoint = [&](const LoopState& s) { write_checkpoint(run_directory, columns, s, system, schedule.size_column); };
  run_loop(schedule, system, state, options, hooks);
  write_summary_csv((std::filesystem::path(run_directory) / "simulation_summary.csv").string(), columns,
                    state.measurements, schedule.size_column);
  return state.status;
}

}  // namespace

TrainingResult train(SimulatedSystem& system, const Schedule& schedule, const RunOptions& options) {
  LoopState state;
  run_loop(schedule, system, state, options, {});
  return {system.observable_names(), std::move(state.measurements), std::move(state.status)};
}

RunStatus run_simulation(SimulatedSystem& system, const Schedule& schedule, const std::string& run_directory,
                         const RunOptions& options) {
  std::filesystem::create_directories(run_directory);
  LoopState state;
  return run_into_directory(schedule, system, state, run_directory, options);
}

RunStatus resume_simulation(SimulatedSystem& system, const Schedule& schedule, const std::string& run_directory,
                            const RunOptions& options) {
  // Rows measured after the checkpoint (if any) are dropped: the CSV restarts from the checkpoint.
  LoopState state = read_checkpoint(run_directory, system, schedule.size_column);
  return run_into_directory(schedule, system, state, run_directory, options);
}

}  // namespace cotdyn::simulation
