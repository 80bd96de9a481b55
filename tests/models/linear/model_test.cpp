// The linear teacher-student model, registered here only: theory, simulation, compare and a sweep
// run for it through the contract's code paths, and the harness holds it to the contract.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <cotdyn/analysis/compare/model_comparison.hpp>
#include <cotdyn/analysis/sweep/run_sweep.hpp>
#include <cotdyn/analysis/sweep/sweep_plan.hpp>
#include <cotdyn/models/registry.hpp>
#include <cotdyn/tests/models/linear/model.hpp>
#include <cotdyn/tests/models/model_harness.hpp>

using namespace cotdyn;

namespace {
const models::Model& linear_model() {
  static const bool registered = [] {
    models::add_model(std::make_unique<testing::linear::LinearModel>());
    return true;
  }();
  (void)registered;
  return models::model_named("linear");
}

core::Config linear_config(int N) {
  linear_model();
  core::Config config;
  config.apply_set("model.kind=linear");
  config.apply_set("linear.N=" + std::to_string(N));
  config.apply_set("train.t_max=4");
  config.apply_set("train.seeds=4");
  config.apply_set("observe.times=linear:0:t_max:9");
  return config;
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}
}  // namespace

TEST_CASE("the linear model is registered by name and adds its config section") {
  const auto& model = linear_model();
  const auto config = linear_config(300);
  CHECK(&models::model_for(config) == &model);
  CHECK(config.get_number("linear.eta") == 0.5);
  CHECK(model.steps_per_unit_time(config) == 300);
  auto bad = config;
  bad.apply_set("linear.eta=3");
  CHECK_THROWS_WITH_AS(model.validate(bad), doctest::Contains("linear.eta = 3"), std::invalid_argument);
}

TEST_CASE("the linear theory is the closed-form solution R = T (1 - exp(-eta t))") {
  const auto config = linear_config(300);
  testing::check_theory(linear_model(), config);
  const auto trajectory = linear_model().theory(config, {0, 1, 2, 4});
  const auto t = trajectory.column("t"), R = trajectory.column("R"), Q = trajectory.column("Q");
  for (std::size_t i = 0; i < t.size(); ++i) CHECK(R[i] == doctest::Approx(1 - std::exp(-0.5 * t[i])).epsilon(1e-8));
  // With R known, Q' = 2 eta (R - Q) + eta^2 (Q - 2R + T) is linear in Q: Q(4) from its own integral.
  CHECK(Q.back() > 0.5);
  CHECK(trajectory.milestone("eps_g_half_time") > 0);
}

TEST_CASE("the linear model passes the contract's harness: theory, determinism, resume, theory against simulation") {
  // Seed means of 4 seeds at N = 2000: fluctuations of R and Q are O(1/sqrt(N)) ~ 0.02 per seed.
  testing::check_simulation(linear_model(), linear_config(2000), {0.05});
}

TEST_CASE("compare runs for the linear model through the generic comparison") {
  const auto& model = linear_model();
  const auto config = linear_config(500);
  std::vector<compare::SimulatedRun> runs;
  for (int N : {250, 1000}) {
    auto at_N = config;
    at_N.apply_set("linear.N=" + std::to_string(N));
    auto system = model.simulated_system(at_N);
    const auto result = simulation::train(*system, models::schedule(model, at_N), testing::quiet_run());
    runs.push_back(compare::to_simulated_run(result, N));
  }
  const auto directory = std::filesystem::temp_directory_path() / "cotdyn_linear_compare";
  std::filesystem::remove_all(directory);
  std::filesystem::create_directories(directory);
  const auto result = compare::compare_model(model, config, runs, directory, /*render_figures=*/false);
  const std::string table = read_text(directory / "discrepancy.csv");
  CHECK(table.rfind("d,quantity,rms,max,seed_std,sem,z_rms,z_max,t_z_max\n", 0) == 0);
  for (const char* row : {"\n250,R,", "\n250,Q,", "\n250,eps_g,", "\n1000,R,", "\n1000,eps_g,"})
    CHECK(table.find(row) != std::string::npos);
  CHECK(std::filesystem::exists(directory / "finite_size_fit.csv"));
  CHECK(std::filesystem::exists(directory / "theory.csv"));
  CHECK(std::filesystem::exists(directory / "figures" / "comparison.gp"));
  CHECK(result.report.find("| 1000 | eps_g |") != std::string::npos);
  const double rms = result.results["rms"]["1000"]["R"].get<double>();
  CHECK(rms > 0);
  CHECK(rms < 0.05);
  std::filesystem::remove_all(directory);
}

TEST_CASE("a sweep of the linear model runs theory and compare points through the contract") {
  linear_model();
  for (const std::string kind : {"theory", "compare"}) {
    CAPTURE(kind);
    const std::string text = "kind = \"" + kind + "\"\n[axes]\n\"linear.eta\" = { values = [0.25, 0.5] }\n";
    auto plan = sweep::parse_sweep(text, ".", "test sweep", "",
                                   {"model.kind=linear", "linear.N=200", "train.t_max=2", "train.seeds=2",
                                    "observe.times=linear:0:t_max:5"});
    const auto prepared = sweep::prepare_sweep(plan);
    sweep::SweepOptions options;
    options.out = std::filesystem::temp_directory_path() / ("cotdyn_linear_sweep_" + kind);
    std::filesystem::remove_all(options.out);
    options.threads = 1;
    std::ostringstream log;
    const auto summary = sweep::run_sweep(prepared, options, log);
    CHECK(summary.ran == 2);
    CHECK(summary.failed == 0);
    const std::string points = read_text(options.out / "points.csv");
    CHECK(points.find(kind == "theory" ? "eps_g_half_time" : "rms_eps_g") != std::string::npos);
    std::filesystem::remove_all(options.out);
  }
}
