#include <cotdyn/analysis/sweep/simulate_point.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <new>
#include <set>
#include <stdexcept>

#include <fmt/format.h>
#include <oneapi/tbb/info.h>

#include <cotdyn/analysis/compare/crossings.hpp>
#include <cotdyn/analysis/compare/discrepancy.hpp>
#include <cotdyn/core/interrupt.hpp>
#include <cotdyn/meanfield/state_tracking/order_parameters.hpp>
#include <cotdyn/models/state_tracking/resolve.hpp>
#include <cotdyn/models/state_tracking/resolve_simulation.hpp>
#include <cotdyn/analysis/sweep/theory_point.hpp>
#include <cotdyn/meanfield/state_tracking/theory_run.hpp>
#include <cotdyn/analysis/compare/theory_series.hpp>
#include <cotdyn/simulation/state_tracking/train.hpp>
#include <cotdyn/models/state_tracking/model.hpp>

namespace cotdyn::sweep {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

int effective_cores(int cores) { return cores > 0 ? cores : oneapi::tbb::info::default_concurrency(); }

// One point's simulation: all seeds batched in one training run, the seeds that finished arranged
// per seed, and how the run went.
struct SimulatedPoint {
  simulation::SimulationSettings settings;
  compare::SimulatedRun run;
  std::vector<std::string> columns;  // measured columns, in the simulation's order
  nlohmann::json info;
};

SimulatedPoint simulate(const core::Config& config, int in_flight, int cores) {
  SimulatedPoint point;
  point.settings = resolve_point_simulation(config);
  point.settings.threads = intra_op_threads(point.settings, in_flight, effective_cores(cores));

  simulation::RunOptions options;
  options.stop_requested = &core::interrupt_requested();
  options.progress = false;  // points run concurrently: their bars would interleave
  const auto start = std::chrono::steady_clock::now();
  simulation::TrainingResult result;
  try {
    result = simulation::train(point.settings, options);
  } catch (const std::runtime_error&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw std::runtime_error(fmt::format("out of memory simulating d = {}, {} seeds, logic = {}", point.settings.d,
                                         point.settings.seeds,
                                         core::name_of(point.settings.logic, simulation::logic_storage_names)));
  } catch (const std::exception& e) {  // e.g. a LibTorch error: a failed point, not a failed sweep
    throw std::runtime_error(fmt::format("simulation failed: {}", e.what()));
  }
  if (result.status.interrupted) throw PointInterrupted();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  point.columns = result.columns;
  point.run.d = point.settings.d;
  for (int e = 0; e < point.settings.seeds; ++e) point.run.seeds.push_back({point.settings.base_seed + e, {}, {}});
  for (const auto& row : result.measurements) {
    auto& seed = point.run.seeds.at(row.seed - point.settings.base_seed);
    seed.t.push_back(row.t);
    for (std::size_t c = 0; c < result.columns.size(); ++c) seed.values[result.columns[c]].push_back(row.values[c]);
  }
  // A seed stopped by a non-finite value is left out: the means are over the seeds that reached t_max.
  std::set<std::uint64_t> failed;
  std::string failure_text;
  nlohmann::json failures = nlohmann::json::array();
  for (const auto& f : result.status.failures) {
    failed.insert(f.seed);
    failures.push_back(f.message());
    failure_text += (failure_text.empty() ? "" : "; ") + f.message();
  }
  auto& seeds = point.run.seeds;
  seeds.erase(std::remove_if(seeds.begin(), seeds.end(), [&](const auto& s) { return failed.count(s.seed) > 0; }),
              seeds.end());
  if (seeds.empty()) throw std::runtime_error(fmt::format("every seed failed: {}", failure_text));
  for (const auto& s : seeds)
    if (s.t.size() != seeds.front().t.size() || s.t.empty())
      throw std::runtime_error(fmt::format("seed {} has {} observations, seed {} has {}", s.seed, s.t.size(),
                                           seeds.front().seed, seeds.front().t.size()));

  point.info = {{"intra_op_threads", point.settings.threads},
                {"points_in_flight", in_flight},
                {"seeds", point.settings.seeds},
                {"steps", simulation::observation_step(point.settings.t_max, point.settings.d)},
                {"seconds", seconds},
                {"failed_seeds", failures}};
  return point;
}

// t, then every measured column's seed mean and seed standard deviation (ddof 0).
PointRecord simulated_trajectory(const SimulatedPoint& point) {
  PointRecord record;
  record.trajectory_columns = {"t"};
  std::vector<std::vector<double>> columns = {point.run.times()};
  for (const auto& name : point.columns) {
    record.trajectory_columns.push_back(name);
    record.trajectory_columns.push_back(name + "_std");
    columns.push_back(point.run.mean(name));
    columns.push_back(point.run.std_dev(name));
  }
  for (std::size_t i = 0; i < columns.front().size(); ++i) {
    std::vector<double> row;
    for (const auto& column : columns) row.push_back(column[i]);
    record.trajectory.push_back(std::move(row));
  }
  return record;
}

}  // namespace

simulation::SimulationSettings resolve_point_simulation(const core::Config& config) {
  auto s = models::state_tracking::resolve_simulation_settings(config);
  // The milestones at t_max need a measurement there.
  if (s.observation_times.empty() || s.observation_times.back() < s.t_max) s.observation_times.push_back(s.t_max);
  simulation::validate(s);
  return s;
}

int intra_op_threads(const simulation::SimulationSettings& settings, int in_flight, int cores) {
  cores = std::max(1, cores);
  const int budget = std::max(1, cores / std::max(1, in_flight));
  return std::max(1, std::min(simulation::intra_op_threads(settings, cores), budget));
}

std::vector<std::string> simulated_milestone_names() {
  return {"t_half",           "t_half_std",     "locked_seeds",      "t_half_alpha",    "Q_max", "t_Q_max",
          "plateau_step_acc", "final_step_acc", "final_rollout_acc", "final_state_acc", "seeds"};
}

std::vector<double> simulated_milestones(const compare::SimulatedRun& run, int L) {
  const auto& t = run.times();
  const double level = meanfield::lock_on_retrieval(L);
  double sum = 0, sum_sq = 0;
  int locked = 0;
  for (const auto& seed : run.seeds) {
    const double crossing =
        compare::first_crossing(seed.t, seed.values.at("M"), level, compare::Interpolation::logarithmic);
    if (!std::isfinite(crossing)) continue;
    ++locked;
    sum += crossing;
    sum_sq += crossing * crossing;
  }
  const double t_half = locked ? sum / locked : nan;
  const double t_half_std = locked ? std::sqrt(std::max(0.0, sum_sq / locked - t_half * t_half)) : nan;

  const auto Q = run.mean("Q");
  const std::size_t peak = static_cast<std::size_t>(std::max_element(Q.begin(), Q.end()) - Q.begin());
  const auto step = run.mean("step_acc");
  return {t_half,
          t_half_std,
          static_cast<double>(locked),
          compare::first_crossing(t, run.mean("alpha"), 0.5),
          Q[peak],
          t[peak],
          compare::interpolated_value(t, step, 0.5 * t_half),
          step.back(),
          run.mean("rollout_acc").back(),
          run.mean("final_acc").back(),
          static_cast<double>(run.seeds.size())};
}

// ---- simulate --------------------------------------------------------------------------------

std::vector<std::string> SimulatePointRunner::milestone_names() const { return simulated_milestone_names(); }

void SimulatePointRunner::check(const core::Config& config) const { resolve_point_simulation(config); }

void SimulatePointRunner::set_concurrency(int in_flight, int cores) {
  in_flight_ = std::max(1, in_flight);
  cores_ = cores;
}

PointRecord SimulatePointRunner::run(const core::Config& config) const {
  const SimulatedPoint point = simulate(config, in_flight_, cores_);
  PointRecord record = simulated_trajectory(point);
  record.milestones = simulated_milestones(point.run, point.settings.L);
  record.run_info = point.info;
  return record;
}

// ---- compare ---------------------------------------------------------------------------------

namespace {
// The theory's columns (meanfield::theory_columns) beside the simulation's, at the simulation's d: the
// accuracies are the LD prediction at d, under the simulation's names step_acc and rollout_acc.
std::vector<std::string> theory_trajectory_columns(bool label_noise) {
  const auto& all = meanfield::theory_columns(/*finite_d=*/true, label_noise);
  return {all.begin() + 1, all.end()};
}
std::string compared_name(const std::string& theory_column) {
  const std::string ld = "_ld";
  const bool is_ld = theory_column.size() > ld.size() && theory_column.compare(theory_column.size() - ld.size(), ld.size(), ld) == 0;
  return is_ld ? theory_column.substr(0, theory_column.size() - ld.size()) : theory_column;
}

}  // namespace

std::vector<std::string> ComparePointRunner::milestone_names() const {
  std::vector<std::string> names;
  for (const auto& name : TheoryPointRunner().milestone_names()) names.push_back("theory_" + name);
  for (const auto& name : simulated_milestone_names()) names.push_back("sim_" + name);
  names.push_back("t_half_diff");
  for (const auto& q : cotdyn::models::state_tracking::compared_quantities()) names.push_back("rms_" + q.simulated);
  return names;
}

void ComparePointRunner::check(const core::Config& config) const {
  TheoryPointRunner().check(config);
  resolve_point_simulation(config);
}

void ComparePointRunner::set_concurrency(int in_flight, int cores) {
  in_flight_ = std::max(1, in_flight);
  cores_ = cores;
}

PointRecord ComparePointRunner::run(const core::Config& config) const {
  const SimulatedPoint point = simulate(config, in_flight_, cores_);
  // The theory's milestones exactly as a theory point has them, and its curves on the simulation's grid.
  const PointRecord theory = TheoryPointRunner().run(config);
  const auto grid = meanfield::run_theory(models::state_tracking::resolve_model_parameters(config), point.run.times(),
                                          models::state_tracking::resolve_tolerances(config), {static_cast<double>(point.settings.d)});
  const compare::TheorySeries series = compare::theory_series(grid, point.settings.d);

  PointRecord record = simulated_trajectory(point);
  const auto columns = theory_trajectory_columns(grid.label_noise);
  for (const auto& name : columns) record.trajectory_columns.push_back("theory_" + compared_name(name));
  for (std::size_t i = 0; i < record.trajectory.size(); ++i)
    for (const auto& name : columns) record.trajectory[i].push_back(series.values.at(name).at(i));

  record.milestones = theory.milestones;
  const auto simulated = simulated_milestones(point.run, point.settings.L);
  record.milestones.insert(record.milestones.end(), simulated.begin(), simulated.end());
  const auto t_half = [](const std::vector<std::string>& names, const std::vector<double>& values) {
    return values.at(static_cast<std::size_t>(std::find(names.begin(), names.end(), "t_half") - names.begin()));
  };
  record.milestones.push_back(t_half(simulated_milestone_names(), simulated) -
                              t_half(TheoryPointRunner().milestone_names(), theory.milestones));
  for (const auto& q : cotdyn::models::state_tracking::compared_quantities())
    record.milestones.push_back(compare::discrepancy(point.run, series, q).rms);
  record.run_info = point.info;
  return record;
}

// ---- the factories point_runner.cpp declares ----------------------------------------------------

std::unique_ptr<PointRunner> make_simulate_point_runner() { return std::make_unique<SimulatePointRunner>(); }
std::unique_ptr<PointRunner> make_compare_point_runner() { return std::make_unique<ComparePointRunner>(); }

}  // namespace cotdyn::sweep
