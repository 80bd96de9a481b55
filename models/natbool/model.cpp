#include <cotdyn/models/natbool/model.hpp>

#include <cmath>
#include <filesystem>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include <cotdyn/core/output.hpp>
#include <cotdyn/meanfield/natbool/predictions.hpp>
#include <cotdyn/models/natbool/comparison_additions.hpp>
#include <cotdyn/models/natbool/settings_of.hpp>
#include <cotdyn/simulation/natbool/memory.hpp>
#ifdef COTDYN_WITH_TORCH
#include <cotdyn/simulation/natbool/system.hpp>
#endif

namespace cotdyn::models::natbool {

const std::string& natbool_config_text();  // natbool.toml, embedded at configure time

namespace {
namespace sim = simulation::natbool;
namespace theory = meanfield::natbool;
const std::vector<sim::Regime>& kAllRegimes = sim::all_regimes();
}  // namespace

std::string NatboolModel::summary() const {
  return "Boolean-DAG tasks: direct answer against explicit, implicit and aligned chain of thought on a small "
         "transformer (closed-form predictions; docs/models/natbool.md)";
}

std::string NatboolModel::default_sections() const { return natbool_config_text(); }

std::vector<std::string> NatboolModel::generic_defaults() const { return {"train.seeds=3", "compare.d=[2, 4]"}; }

std::vector<Model::DerivedKey> NatboolModel::derived_keys(const core::Config& config) const {
  const auto s = settings_of(config);  // validated: eval_every >= 1 and cap >= eval_every
  const auto cap = s.cap, every = s.eval_every;
  std::string times = "[";
  for (std::int64_t t = 0; t < cap; t += every) times += fmt::format("{}, ", t);
  times += fmt::format("{}]", cap);
  return {{fmt::format("train.t_max={}", cap), "natbool.cap"},
          {fmt::format("observe.times={}", times), "natbool.eval_every and natbool.cap"}};
}

void NatboolModel::validate(const core::Config& config) const {
  settings_of(config);
  signal_orders(config);
}

std::int64_t NatboolModel::size_value(const core::Config& config) const {
  return settings_of(config).r;
}

std::vector<std::string> NatboolModel::milestone_names() const {
  std::vector<std::string> names;
  for (auto regime : kAllRegimes) names.push_back("steps_per_answer_" + sim::to_string(regime));
  names.push_back("speedup");
  for (auto regime : kAllRegimes) names.push_back("order_" + sim::to_string(regime));
  for (auto regime : kAllRegimes) names.push_back("law_" + sim::to_string(regime));
  return names;
}

Trajectory NatboolModel::theory(const core::Config& config, const std::vector<double>& times) const {
  const auto s = settings_of(config);
  Trajectory t;
  t.columns = {"t"};
  for (double x : times) t.rows.push_back({x});
  std::vector<theory::RegimePrediction> p;
  for (auto regime : kAllRegimes) p.push_back(theory::predict(s.m, s.r, s.shape, regime));
  for (const auto& x : p) t.milestones.push_back({"steps_per_answer_" + sim::to_string(x.regime), double(x.sequential_steps)});
  t.milestones.push_back({"speedup", double(p[1].sequential_steps) / double(p[3].sequential_steps)});
  for (const auto& x : p) t.milestones.push_back({"order_" + sim::to_string(x.regime), double(x.order)});
  for (const auto& x : p) t.milestones.push_back({"law_" + sim::to_string(x.regime), x.law});
  return t;
}

TheoryRun NatboolModel::theory_run(const core::Config& config) const {
  const auto s = settings_of(config);
  TheoryRun run;
  run.trajectory.columns = {"r", "G", "D"};
  for (auto regime : kAllRegimes) run.trajectory.columns.push_back("steps_per_answer_" + sim::to_string(regime));
  run.trajectory.columns.push_back("speedup");
  for (auto regime : kAllRegimes) run.trajectory.columns.push_back("law_" + sim::to_string(regime));
  run.report = fmt::format("cotdyn theory: model natbool, m = {}, {} trees (docs/models/natbool.md §3.4)\n", s.m,
                           sim::to_string(s.shape));
  run.report += "  r  G  D  steps per answer (direct explicit implicit aligned)  speedup  one-layer law: answer  CoT step\n";
  const int last = std::min(s.m, std::max(s.r, 6));
  for (int r = 2; r <= last; ++r) {
    std::vector<theory::RegimePrediction> p;
    for (auto regime : kAllRegimes) p.push_back(theory::predict(s.m, r, s.shape, regime));
    std::vector<double> row = {double(r), double(p[0].G), double(p[0].D)};
    for (const auto& x : p) row.push_back(x.sequential_steps);
    const double speedup = double(p[1].sequential_steps) / p[3].sequential_steps;
    row.push_back(speedup);
    for (const auto& x : p) row.push_back(x.law);
    run.trajectory.rows.push_back(row);
    run.report += fmt::format("  {:<2} {:<2} {:<2} {:>6} {:>6} {:>6} {:>6}                          {:>6.3g}  {:>10.3g}  {:>9.3g}\n", r,
                              p[0].G, p[0].D, p[0].sequential_steps, p[1].sequential_steps, p[2].sequential_steps,
                              p[3].sequential_steps, speedup, p[0].law, p[1].law);
  }
  run.trajectory.milestones = this->theory(config, {0.0}).milestones;  // the predictions at natbool.r
  run.results = run.trajectory.milestones_json();
  return run;
}

void NatboolModel::validate_simulation(const core::Config& config) const { validate(config); }

std::unique_ptr<simulation::SimulatedSystem> NatboolModel::simulated_system(const core::Config& config) const {
#ifdef COTDYN_WITH_TORCH
  return sim::make_natbool_system(settings_of(config));
#else
  (void)config;
  return nullptr;
#endif
}

std::string NatboolModel::simulation_summary(const core::Config& config) const {
  const auto s = settings_of(config);
  std::string regimes;
  for (auto regime : sim::regimes_run(s)) regimes += (regimes.empty() ? "" : ", ") + sim::to_string(regime);
  return fmt::format("Boolean DAG, m = {}, r = {}, {}; regimes {}; transformer d = {}, {} heads, {} layers; batch {}, "
                     "Adam lr {}, cap {} steps, {} seeds",
                     s.m, s.r, sim::to_string(s.shape), regimes, s.d, s.heads, s.layers, s.batch, s.lr, s.cap, s.seeds);
}

core::MemoryEstimate NatboolModel::simulation_memory(const core::Config& config) const {
  return sim::memory_estimate(settings_of(config));
}

ComparisonAdditions NatboolModel::comparison_additions(const core::Config& config,
                                                       const std::vector<ComparedSize>& sizes) const {
  return natbool::comparison_additions(config, sizes);
}

std::vector<std::string> NatboolModel::write_dataset(const core::Config& config, const std::string& directory) const {
  const auto s = settings_of(config);
  const auto count = config.get_integer_in("dataset.count", 1, 100'000'000);
  const sim::Parameters p = s.task(0);
  const sim::Dag dag(p);
  const std::filesystem::path dir(directory);
  core::write_file_atomically(dir / "dag.txt", fmt::format("{}\nD={}\n", dag.gate_list(), dag.depth()));
  core::CsvTable train({"x", "answer"});
  sim::TrainingStream stream(p);
  for (std::int64_t i = 0; i < count; ++i) {
    const auto x = stream.next();
    train.add_row(std::vector<std::string>{std::to_string(x), std::to_string(dag.answer(x))});
  }
  train.write(dir / "train.csv");
  core::CsvTable test({"x", "answer"});
  for (auto x : sim::test_inputs(p, static_cast<int>(std::min<std::int64_t>(count, 100'000'000))))
    test.add_row(std::vector<std::string>{std::to_string(x), std::to_string(dag.answer(x))});
  test.write(dir / "test.csv");
  return dataset_files();
}

}  // namespace cotdyn::models::natbool
