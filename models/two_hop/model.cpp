#include <cotdyn/models/two_hop/model.hpp>

#include <cmath>

#include <fmt/format.h>

#include <cotdyn/models/two_hop/comparison_additions.hpp>
#include <cotdyn/models/two_hop/settings_of.hpp>
#include <cotdyn/simulation/two_hop/dataset_directory.hpp>
#include <cotdyn/simulation/two_hop/memory.hpp>
#ifdef COTDYN_WITH_TORCH
#include <cotdyn/simulation/two_hop/system.hpp>
#endif

namespace cotdyn::models::two_hop {

const std::string& two_hop_config_text();  // two_hop.toml, embedded at configure time

namespace {
namespace sim = simulation::two_hop;

// The training stream's counts and rates (docs/models/two_hop.md §8, P-b3): rows of each kind, the
// OOD facts, the views of one atomic fact per update B / (|A| + n_tr) and the λ factor 1 + λ (1 - ρ)
// (= (|A| + n_tr) / |A| for a generated graph), to which the OOD facts' learning time is predicted
// proportional.
std::vector<std::pair<std::string, double>> counts(const sim::TwoHopSettings& s) {
  const sim::TaskData task = sim::task_data(s);
  const double atomic = double(task.train_facts.size()), two_hop = double(task.train_two_hops.size());
  const double ood = double(sim::probe(task, "ood_atomic").facts.size());
  return {{"atomic_rows", atomic},
          {"two_hop_rows", two_hop},
          {"ood_facts", ood},
          {"views_per_fact_per_step", double(s.batch) / (atomic + two_hop)},
          {"lambda_factor", (atomic + two_hop) / atomic}};
}
}  // namespace

std::string TwoHopModel::summary() const {
  return "two-hop reasoning with and without chain of thought on a small transformer, with a logit lens "
         "(closed-form predictions; docs/models/two_hop.md)";
}

std::string TwoHopModel::default_sections() const { return two_hop_config_text(); }

std::vector<std::string> TwoHopModel::generic_defaults() const { return {"train.seeds=2", "compare.d=[4]"}; }

std::vector<Model::DerivedKey> TwoHopModel::derived_keys(const core::Config& config) const {
  const auto s = settings_of(config);
  std::string times = "[";
  for (std::int64_t t = 0; t < s.steps; t += s.eval_every) times += fmt::format("{}, ", t);
  times += fmt::format("{}]", s.steps);
  return {{fmt::format("train.t_max={}", s.steps), "two_hop.steps"},
          {fmt::format("observe.times={}", times), "two_hop.eval_every and two_hop.steps"}};
}

void TwoHopModel::validate(const core::Config& config) const { sim::task_data(settings_of(config)); }

std::int64_t TwoHopModel::size_value(const core::Config& config) const { return settings_of(config).layers; }

std::vector<std::string> TwoHopModel::milestone_names() const {
  return {"atomic_rows", "two_hop_rows", "ood_facts", "views_per_fact_per_step", "lambda_factor"};
}

Trajectory TwoHopModel::theory(const core::Config& config, const std::vector<double>& times) const {
  Trajectory t;
  t.columns = {"t"};
  for (double x : times) t.rows.push_back({x});
  for (const auto& [name, value] : counts(settings_of(config))) t.milestones.push_back({name, value});
  return t;
}

TheoryRun TwoHopModel::theory_run(const core::Config& config) const {
  const auto s = settings_of(config);
  TheoryRun run;
  run.trajectory = theory(config, {});
  std::vector<double> row;
  for (const auto& m : run.trajectory.milestones) {
    run.trajectory.columns.push_back(m.name);
    row.push_back(m.value);
  }
  run.trajectory.columns.erase(run.trajectory.columns.begin());  // no time column: one row of counts
  run.trajectory.rows = {row};
  run.report = fmt::format("cotdyn theory: model two_hop, {} (docs/models/two_hop.md §8)\n",
                           s.dataset.empty() ? fmt::format("generated graph, seed {}", s.base_seed) : s.dataset);
  for (const auto& m : run.trajectory.milestones) run.report += fmt::format("  {:<24} {:.6g}\n", m.name, m.value);
  run.results = run.trajectory.milestones_json();
  return run;
}

void TwoHopModel::validate_simulation(const core::Config& config) const { validate(config); }

std::unique_ptr<simulation::SimulatedSystem> TwoHopModel::simulated_system(const core::Config& config) const {
#ifdef COTDYN_WITH_TORCH
  return sim::make_two_hop_system(settings_of(config));
#else
  (void)config;
  return nullptr;
#endif
}

std::string TwoHopModel::simulation_summary(const core::Config& config) const {
  const auto s = settings_of(config);
  return fmt::format("two-hop, {}; arms cot, no_cot; transformer d = {}, {} heads, {} layers, tied unembedding; batch "
                     "{}, AdamW lr {} (warm-up {}, decay {}), {} steps, {} seeds",
                     s.dataset.empty() ? fmt::format("|E| = {}, |R| = {}, out-degree {}, OOD ratio {}, lambda {}",
                                                     s.task.num_entities, s.task.num_relations, s.task.out_degree,
                                                     s.task.ood_ratio, s.task.lambda)
                                       : "dataset " + s.dataset,
                     s.width, s.heads, s.layers, s.batch, s.lr, s.warmup, s.weight_decay, s.steps, s.seeds);
}

core::MemoryEstimate TwoHopModel::simulation_memory(const core::Config& config) const {
  return sim::memory_estimate(settings_of(config));
}

ComparisonAdditions TwoHopModel::comparison_additions(const core::Config& config,
                                                      const std::vector<ComparedSize>& sizes) const {
  return two_hop::comparison_additions(config, sizes);
}

std::vector<std::string> TwoHopModel::write_dataset(const core::Config& config, const std::string& directory) const {
  sim::write_dataset_directory(sim::task_data(settings_of(config)), directory);
  return dataset_files();
}

}  // namespace cotdyn::models::two_hop
