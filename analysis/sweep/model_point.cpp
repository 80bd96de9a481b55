#include <cotdyn/analysis/sweep/model_point.hpp>

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include <cotdyn/analysis/compare/comparison_data.hpp>
#include <cotdyn/analysis/compare/discrepancy.hpp>
#include <cotdyn/analysis/compare/model_comparison.hpp>
#include <cotdyn/core/interrupt.hpp>
#include <cotdyn/core/observation_grid.hpp>
#include <cotdyn/models/schedule.hpp>
#include <cotdyn/simulation/training_loop.hpp>

namespace cotdyn::sweep {

namespace {

std::vector<std::string> theory_names(const models::Model& model) { return model.milestone_names(); }

std::vector<std::string> simulated_names(const models::Model& model, const core::Config& config) {
  std::vector<std::string> names;
  for (const auto& q : model.compared(config)) names.push_back("final_" + q.simulated);
  names.push_back("seeds");
  return names;
}

PointRecord theory_point(const models::Model& model, const core::Config& config) {
  const models::Trajectory trajectory = model.theory(config, core::resolve_observation_times(config));
  PointRecord record;
  for (const auto& name : theory_names(model)) record.milestones.push_back(trajectory.milestone(name));
  record.trajectory_columns = trajectory.columns;
  record.trajectory = trajectory.rows;
  return record;
}

struct SimulatedPoint {
  compare::SimulatedRun run;
  PointRecord record;
};

SimulatedPoint simulate_point(const models::Model& model, const core::Config& config) {
  auto system = model.simulated_system(config);
  if (!system)
    throw std::invalid_argument(fmt::format("model.kind = \"{}\": this build has no simulator for it", model.name()));
  simulation::RunOptions options;
  options.progress = false;
  options.stop_requested = &core::interrupt_requested();
  const auto schedule = models::schedule(model, config);
  const auto result = simulation::train(*system, schedule, options);
  if (result.status.interrupted) throw PointInterrupted();
  SimulatedPoint point;
  point.run = compare::to_simulated_run(result, static_cast<int>(schedule.size_value()));
  const auto& run = point.run;
  for (const auto& q : model.compared(config))
    point.record.milestones.push_back(run.seeds.empty() ? std::nan("") : run.mean(q.simulated).back());
  point.record.milestones.push_back(static_cast<double>(run.seeds.size()));
  point.record.trajectory_columns = {"t"};
  for (const auto& q : model.compared(config)) {
    point.record.trajectory_columns.push_back("mean_" + q.simulated);
    point.record.trajectory_columns.push_back("std_" + q.simulated);
  }
  if (!run.seeds.empty())
    for (std::size_t i = 0; i < run.times().size(); ++i) {
      std::vector<double> row = {run.times()[i]};
      for (const auto& q : model.compared(config)) {
        row.push_back(run.mean(q.simulated)[i]);
        row.push_back(run.std_dev(q.simulated)[i]);
      }
      point.record.trajectory.push_back(row);
    }
  return point;
}

class ModelPointRunner final : public PointRunner {
 public:
  // The milestone names come from the sweep's base config (the compared pairs may depend on its sizes).
  ModelPointRunner(SweepKind kind, const models::Model& model, core::Config base)
      : kind_(kind), model_(model), base_(std::move(base)) {}

  std::vector<std::string> milestone_names() const override {
    if (kind_ == SweepKind::theory) return theory_names(model_);
    if (kind_ == SweepKind::simulate) return simulated_names(model_, base_);
    std::vector<std::string> names;
    for (const auto& n : theory_names(model_)) names.push_back("theory_" + n);
    for (const auto& n : simulated_names(model_, base_)) names.push_back("sim_" + n);
    for (const auto& q : model_.compared(base_)) names.push_back("rms_" + q.simulated);
    return names;
  }

  void check(const core::Config& config) const override {
    model_.validate(config);
    core::resolve_observation_times(config);
    if (kind_ != SweepKind::theory) models::schedule(model_, config);
  }

  PointRecord run(const core::Config& config) const override {
    if (kind_ == SweepKind::theory) return theory_point(model_, config);
    SimulatedPoint simulated = simulate_point(model_, config);
    if (kind_ == SweepKind::simulate) return simulated.record;
    const PointRecord theory = theory_point(model_, config);
    PointRecord record;
    record.milestones = theory.milestones;
    record.milestones.insert(record.milestones.end(), simulated.record.milestones.begin(),
                             simulated.record.milestones.end());
    const auto& run = simulated.run;
    const auto series = compare::theory_at_size(model_, config, run.d, run.times());
    for (const auto& q : model_.compared(config))
      record.milestones.push_back(run.seeds.empty() ? std::nan("") : compare::discrepancy(run, series, q).rms);
    record.trajectory_columns = simulated.record.trajectory_columns;
    record.trajectory = simulated.record.trajectory;
    return record;
  }

 private:
  SweepKind kind_;
  const models::Model& model_;
  core::Config base_;
};

}  // namespace

std::unique_ptr<PointRunner> make_model_point_runner(SweepKind kind, const models::Model& model,
                                                    const core::Config& base) {
  return std::make_unique<ModelPointRunner>(kind, model, base);
}

}  // namespace cotdyn::sweep
