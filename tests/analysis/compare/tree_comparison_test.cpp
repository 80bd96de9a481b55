// The tree model's additions to compare on synthetic runs: phase times and pooled RMS on series with
// known answers, and the whole addition on "simulations" made of the theory itself, where the pooled
// discrepancy must vanish and each seed's phase times must be the theory's to the grid's resolution.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <cotdyn/analysis/compare/tree_comparison.hpp>
#include <cotdyn/models/registry.hpp>

using namespace cotdyn;
using namespace cotdyn::compare;
namespace mf = cotdyn::meanfield::tree;

namespace {
std::vector<double> times_every(double dt, double end) {
  std::vector<double> t;
  for (int n = 0; n * dt <= end + 1e-9; ++n) t.push_back(n * dt);
  return t;
}

// A run whose seeds are the theory at `size` plus -+ jitter: coefficient space = the ODE, logit space,
// masses, margins and accuracies = the kappa-ODE.
SimulatedRun run_from_theory(const models::Model& model, const core::Config& config, int size,
                             const std::vector<double>& t, double jitter) {
  const auto theory = trajectory_at_size(model, config, size, t);
  SimulatedRun run;
  run.d = size;
  for (std::uint64_t s = 0; s < 2; ++s) {
    SeedSeries seed;
    seed.seed = s;
    seed.t = t;
    const double sign = s == 0 ? -1.0 : 1.0;
    for (const auto& name : theory.columns) {
      if (name == "t" || name.size() < 6 || name.substr(name.size() - 6) != "_kappa") continue;
      const std::string base = name.substr(0, name.size() - 6);
      auto values = theory.column(name);
      auto plain = theory.column(base);
      const bool order_parameter = base.rfind("head", 0) == 0 && base.find("_m_") == std::string::npos;
      for (std::size_t n = 0; n < t.size(); ++n) {
        values[n] += sign * jitter;
        plain[n] += sign * jitter;
      }
      if (order_parameter) {
        seed.values[base] = plain;
        seed.values[base + "_logit"] = values;
      } else {
        const std::string simulated = base == "step_acc_inf" ? "step_acc" : base == "exact_acc_inf" ? "exact_acc" : base;
        seed.values[simulated] = theory.column(name);  // accuracies, masses, margins: no jitter
      }
    }
    seed.values["forward_exact_acc"] = seed.values["exact_acc"];
    run.seeds.push_back(seed);
  }
  return run;
}

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
}  // namespace

TEST_CASE("a seed's phase times follow the rules of the theory on its measured series") {
  SeedSeries seed;
  seed.t = {0, 10, 20, 30};
  seed.values = {{"head0_m_B", {0.1, 0.3, 0.7, 0.9}}, {"min_margin", {-1, -1, -0.5, 1.5}}};
  const auto backward = seed_phase_times(seed, mf::Task::backward, 1);
  CHECK(backward.t_B == doctest::Approx(15.0));
  CHECK(backward.t_acc == doctest::Approx(22.5));
  CHECK(backward.forward_head == -1);
  seed.values["head0_m_F"] = {0, 0.2, 0.3, 0.3};
  seed.values["head1_m_B"] = {0, 0, 0, 0};
  seed.values["head1_m_F"] = {0, 0.1, 0.6, 0.8};
  seed.values["head1_o_X"] = {0, 0, 1, 3};
  seed.values["head1_o_Y"] = {1, 1, 2, 2};
  const auto forward = seed_phase_times(seed, mf::Task::forward, 2);
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
  std::vector<SimulatedRun> runs;
  std::vector<models::Trajectory> theory;
  for (int d : dims) {
    runs.push_back(run_from_theory(model, config, d, t, 0.01));
    theory.push_back(trajectory_at_size(model, config, d, t));
  }
  // The seed mean is the theory to rounding; a constant offset of the seeds shows in the pooled RMS.
  CHECK(pooled_rms(runs[0], theory[0], mf::Task::forward, 2, "", "") < 1e-12);
  CHECK(pooled_rms(runs[0], theory[0], mf::Task::forward, 2, "_logit", "_kappa") < 1e-12);
  const double logit_vs_ode_32 = pooled_rms(runs[0], theory[0], mf::Task::forward, 2, "_logit", "");
  const double logit_vs_ode_64 = pooled_rms(runs[1], theory[1], mf::Task::forward, 2, "_logit", "");
  CHECK(logit_vs_ode_32 > logit_vs_ode_64);  // the kappa correction shrinks with d
  CHECK(logit_vs_ode_64 > 0.1);

  const auto directory = std::filesystem::temp_directory_path() / ("cotdyn_test_tree_comparison_" + std::to_string(::getpid()));
  std::filesystem::remove_all(directory);
  std::filesystem::create_directories(directory);
  const ComparisonResult result = compare_tree({model, config, runs, theory, directory, false});
  // Each seed's t_B and t_F are the kappa-ODE's, to the interpolation error of a grid of step 5.
  for (std::size_t k = 0; k < dims.size(); ++k) {
    const auto& json = result.results["phase_times"][std::to_string(dims[k])];
    CAPTURE(dims[k]);
    CHECK(std::abs(json["t_B"]["mean"].get<double>() - theory[k].milestone("t_B_kappa")) < 1.0);
    CHECK(std::abs(json["t_F"]["mean"].get<double>() - theory[k].milestone("t_F_kappa")) < 1.0);
    CHECK(json["forward_head_per_seed"] == nlohmann::json::array({1, 1}));  // head 2, as in the ODE
    CHECK(json["seeds_with_the_odes_forward_head"] == 2);
    CHECK(result.results["generalisation"][std::to_string(dims[k])]["exact_acc"].get<double>() == 1.0);
  }
  CHECK(result.results["pooled_rms"]["coefficient space vs ODE"]["64"].get<double>() < 1e-12);
  CHECK(result.report.find("| 64 | simulation (2 seeds) |") != std::string::npos);
  CHECK(result.report.find("head 1: 0, head 2: 2 seeds") != std::string::npos);
  CHECK(read(directory / "phase_times.csv").rfind("d,seed,t_B,t_F,t_S,t_acc,forward_head,ode_t_B,", 0) == 0);
  CHECK(read(directory / "generalisation.csv").rfind("d,seed,t,loss,step_acc,exact_acc,forward_exact_acc,", 0) == 0);
  CHECK(read(directory / "tree_discrepancy.csv").rfind("d,comparison,rms\n", 0) == 0);
  for (const char* figure : {"tree_order_parameters", "tree_retrieval_masses", "tree_accuracy", "tree_finite_size"}) {
    CAPTURE(figure);
    CHECK(std::filesystem::file_size(directory / "figures" / (std::string(figure) + ".gp")) > 500);
  }
  std::filesystem::remove_all(directory);
}

TEST_CASE("a run shorter than the first phase: no phase times, the finite-size figure keeps its RMS panel") {
  models::all_models();
  core::Config config;
  for (const auto& assignment : models::model_named("tree").generic_defaults()) config.apply_set(assignment);
  config.apply_set("model.kind=tree");
  config.apply_set("train.t_max=20");
  const auto& model = models::model_for(config);
  const auto t = times_every(1.0, 20.0);
  std::vector<SimulatedRun> runs;
  std::vector<models::Trajectory> theory;
  for (int d : {32, 64}) {
    runs.push_back(run_from_theory(model, config, d, t, 0.01));
    theory.push_back(trajectory_at_size(model, config, d, t));
  }
  CHECK(std::isnan(theory[0].milestone("t_B")));  // t_B = 59.3 at d = infinity (docs/models/tree.md §5)
  const auto directory = std::filesystem::temp_directory_path() / ("cotdyn_test_tree_short_" + std::to_string(::getpid()));
  std::filesystem::remove_all(directory);
  std::filesystem::create_directories(directory);
  const ComparisonResult result = compare_tree({model, config, runs, theory, directory, false});
  CHECK(result.results["phase_times"]["32"]["t_B"]["reached"] == 0);
  const std::string script = read(directory / "figures" / "tree_finite_size.gp");
  CHECK(script.find("pooled RMS") != std::string::npos);
  CHECK(script.find("set ylabel \"phase time\"") == std::string::npos);
  std::filesystem::remove_all(directory);
}
