#include <cotdyn/models/model.hpp>

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>
#include <toml++/toml.h>

#include <cotdyn/core/observation_grid.hpp>

namespace cotdyn::models {

TheoryRun Model::theory_run(const core::Config& config) const {
  TheoryRun run;
  run.trajectory = theory(config, core::resolve_observation_times(config));
  run.results = run.trajectory.milestones_json();
  run.report = fmt::format("cotdyn theory: model {}\n", name());
  for (const auto& m : run.trajectory.milestones)
    run.report += fmt::format("  {:<28} {}\n", m.name, std::isfinite(m.value) ? fmt::format("{:.6g}", m.value) : "not reached");
  return run;
}

Trajectory Model::theory_at_size(const core::Config& config, int size, const std::vector<double>& times) const {
  return theory(at_size(*this, config, size), times);
}

std::vector<std::string> Model::write_dataset(const core::Config&, const std::string&) const {
  throw std::invalid_argument(fmt::format("model.kind = \"{}\": this model has no data generator to export", name()));
}

ComparisonAdditions Model::comparison_additions(const core::Config&, const std::vector<ComparedSize>&) const {
  return {};
}

core::Config at_size(const Model& model, core::Config config, std::int64_t size) {
  config.set(model.size_key(), toml::value<std::int64_t>(size));
  return config;
}

}  // namespace cotdyn::models
