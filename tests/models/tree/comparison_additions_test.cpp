// The tree model's additions to compare on synthetic sizes: phase times and pooled RMS on series with
// known answers, and the whole addition on "simulations" made of the theory itself, where the pooled
// discrepancy must vanish and each seed's phase times must be the theory's to the grid's resolution.
#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <cotdyn/models/registry.hpp>
#include <cotdyn/models/tree/comparison_additions.hpp>

using namespace cotdyn;
using models::ComparedSize;
using models::tree::comparison_additions;
using models::tree::pooled_rms;
using models::tree::seed_phase_times;
namespace mf = cotdyn::meanfield::tree;

namespace {
std::vector<double> times_every(double dt, double end) {
  std::vector<double> t;
  for (int n = 0; n * dt <= end + 1e-9; ++n) t.push_back(n * dt);
  return t;
}

// A seed's measurements from named columns on the times t.
models::Trajectory measured(const std::vector<double>& t, const std::map<std::string, std::vector<double>>& values) {
  models::Trajectory seed;
  seed.columns = {"t"};
  for (const auto& [name, column] : values) seed.columns.push_back(name);
  for (std::size_t j = 0; j < t.size(); ++j) {
    std::vector<double> row = {t[j]};
    for (const auto& [name, column] : values) row.push_back(column[j]);
    seed.rows.push_back(row);
  }
  return seed;
}

// A size whose two seeds are the theory at `size` plus -+ jitter: coefficient space = the ODE, logit
// space, masses, margins and accuracies = the kappa-ODE.
ComparedSize size_from_theory(const models::Model& model, const core::Config& config, int size,
                              const std::vector<double>& t, double jitter) {
  const auto theory = model.theory_at_size(config, size, t);
  ComparedSize run;
  run.size = size;
  run.theory = theory;
  for (std::uint64_t s = 0; s < 2; ++s) {
    std::map<std::string, std::vector<double>> values;
    const double sign = s == 0 ? -1.0 : 1.0;
    for (const auto& name : theory.columns) {
      if (name == "t" || name.size() < 6 || name.substr(name.size() - 6) != "_kappa") continue;
      const std::string base = name.substr(0, name.size() - 6);
      auto values_of_kappa = theory.column(name);
      auto plain = theory.column(base);
      const bool order_parameter = base.rfind("head", 0) == 0 && base.find("_m_") == std::string::npos;
      for (std::size_t n = 0; n < t.size(); ++n) {
        values_of_kappa[n] += sign * jitter;
        plain[n] += sign * jitter;
      }
      if (order_parameter) {
        values[base] = plain;
        values[base + "_logit"] = values_of_kappa;
      } else {
        const std::string simulated = base == "step_acc_inf" ? "step_acc" : base == "exact_acc_inf" ? "exact_acc" : base;
        values[simulated] = theory.column(name);  // accuracies, masses, margins: no jitter
      }
    }
    values["forward_exact_acc"] = values["exact_acc"];
    run.seeds.push_back(s);
    run.measured.push_back(measured(t, values));
  }
  return run;
}

// The CSV text of the table `file` of the additions ("" when there is none).
std::string table_text(const models::ComparisonAdditions& added, const std::string& file) {
  for (const auto& table : added.tables)
    if (table.file == file) return table.table.str();
  return "";
}

// The figure `name` of the additions; throws when there is none.
const plots::Figure& figure_named(const models::ComparisonAdditions& added, const std::string& name) {
  for (const auto& figure : added.figures)
    if (figure.name == name) return figure;
  throw std::out_of_range("no figure " + name);
}
}  // namespace

TEST_CASE("a seed's phase times follow the rules of the theory on its measured series") {
  const std::vector<double> t = {0, 10, 20, 30};
  std::map<std::string, std::vector<double>> values = {{"head0_m_B", {0.1, 0.3, 0.7, 0.9}},
                                                       {"min_margin", {-1, -1, -0.5, 1.5}}};
  const auto backward = seed_phase_times(measured(t, values), mf::Task::backward, 1);
  CHECK(backward.t_B == doctest::Approx(15.0));
  CHECK(backward.t_acc == doctest::Approx(22.5));
  CHECK(backward.forward_head == -1);
  values["head0_m_F"] = {0, 0.2, 0.3, 0.3};
  values["head1_m_B"] = {0, 0, 0, 0};
  values["head1_m_F"] = {0, 0.1, 0.6, 0.8};
  values["head1_o_X"] = {0, 0, 1, 3};
  values["head1_o_Y"] = {1, 1, 2, 2};
  const auto forward = seed_phase_times(measured(t, values), mf::Task::forward, 2);
  CHECK(forward.forward_head == 1);
  CHECK(forward.t_F == doctest::Approx(17.5));
  CHECK(forward.t_S == doctest::Approx(25.0));
}

TEST_CASE("the tree's additions to compare on runs made of the theory: no discrepancy, the theory's phases") {
  models::all_models();
  core::Config config;
  for (const auto& assignment : models::model_named("tree").generic_defaults()) config.apply_set(assignment);
  config.apply_set("model.kind=tree");
  const auto& model = models::model_for(config);
  const auto t = times_every(5.0, 250.0);
  const std::vector<int> dims = {32, 64};
  std::vector<ComparedSize> sizes;
  for (int d : dims) sizes.push_back(size_from_theory(model, config, d, t, 0.01));
  // The seed mean is the theory to rounding; a constant offset of the seeds shows in the pooled RMS.
  CHECK(pooled_rms(sizes[0], mf::Task::forward, 2, "", "") < 1e-12);
  CHECK(pooled_rms(sizes[0], mf::Task::forward, 2, "_logit", "_kappa") < 1e-12);
  const double logit_vs_ode_32 = pooled_rms(sizes[0], mf::Task::forward, 2, "_logit", "");
  const double logit_vs_ode_64 = pooled_rms(sizes[1], mf::Task::forward, 2, "_logit", "");
  CHECK(logit_vs_ode_32 > logit_vs_ode_64);  // the kappa correction shrinks with d
  CHECK(logit_vs_ode_64 > 0.1);

  const auto result = comparison_additions(model, config, sizes);
  // Each seed's t_B and t_F are the kappa-ODE's, to the interpolation error of a grid of step 5.
  for (std::size_t k = 0; k < dims.size(); ++k) {
    const auto& json = result.results["phase_times"][std::to_string(dims[k])];
    CAPTURE(dims[k]);
    CHECK(std::abs(json["t_B"]["mean"].get<double>() - sizes[k].theory.milestone("t_B_kappa")) < 1.0);
    CHECK(std::abs(json["t_F"]["mean"].get<double>() - sizes[k].theory.milestone("t_F_kappa")) < 1.0);
    CHECK(json["forward_head_per_seed"] == nlohmann::json::array({1, 1}));  // head 2, as in the ODE
    CHECK(json["seeds_with_the_odes_forward_head"] == 2);
    CHECK(result.results["generalisation"][std::to_string(dims[k])]["exact_acc"].get<double>() == 1.0);
  }
  CHECK(result.results["pooled_rms"]["coefficient space vs ODE"]["64"].get<double>() < 1e-12);
  CHECK(result.report.find("| 64 | simulation (2 seeds) |") != std::string::npos);
  CHECK(result.report.find("head 1: 0, head 2: 2 seeds") != std::string::npos);
  CHECK(table_text(result, "phase_times.csv").rfind("d,seed,t_B,t_F,t_S,t_acc,forward_head,ode_t_B,", 0) == 0);
  CHECK(table_text(result, "generalisation.csv").rfind("d,seed,t,loss,step_acc,exact_acc,forward_exact_acc,", 0) == 0);
  CHECK(table_text(result, "tree_discrepancy.csv").rfind("d,comparison,rms\n", 0) == 0);
  REQUIRE(result.figures.size() == 4);
  for (const char* name : {"tree_order_parameters", "tree_retrieval_masses", "tree_accuracy", "tree_finite_size"}) {
    CAPTURE(name);
    const auto& figure = figure_named(result, name);
    CHECK_NOTHROW(plots::validate(figure));
    CHECK(!figure.panels.empty());
  }
  // Two heads x four order parameters; the finite-size figure has its RMS and phase-time panels.
  CHECK(figure_named(result, "tree_order_parameters").panels.size() == 8);
  CHECK(figure_named(result, "tree_finite_size").panels.size() == 2);
}

TEST_CASE("a run shorter than the first phase: no phase times, the finite-size figure keeps its RMS panel") {
  models::all_models();
  core::Config config;
  for (const auto& assignment : models::model_named("tree").generic_defaults()) config.apply_set(assignment);
  config.apply_set("model.kind=tree");
  config.apply_set("train.t_max=20");
  const auto& model = models::model_for(config);
  const auto t = times_every(1.0, 20.0);
  std::vector<ComparedSize> sizes;
  for (int d : {32, 64}) sizes.push_back(size_from_theory(model, config, d, t, 0.01));
  CHECK(std::isnan(sizes[0].theory.milestone("t_B")));  // t_B = 59.3 at d = infinity (docs/models/tree.md §5)
  const auto result = comparison_additions(model, config, sizes);
  CHECK(result.results["phase_times"]["32"]["t_B"]["reached"] == 0);
  const auto& scaling = figure_named(result, "tree_finite_size");
  REQUIRE(scaling.panels.size() == 1);
  CHECK(scaling.panels[0].y_label == "pooled RMS of |seed mean - theory|");
}
