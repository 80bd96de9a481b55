// The study's table on synthetic runs built from the ODE itself: a run that follows the ODE is robust,
// one that never locks on breaks, a late or noisy one deviates with the size named; single_lr is held
// to the ODE at eta_A = eta_W; ablation.csv has one row per variant and d with the documented columns.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>

#include <unistd.h>

#include <cotdyn/analysis/ablate/ablation_study.hpp>
#include <cotdyn/meanfield/state_tracking/theory_run.hpp>
#include <cotdyn/analysis/ablate/variant_files.hpp>

using namespace cotdyn;
using namespace cotdyn::ablate;
namespace fs = std::filesystem;

namespace {

meanfield::ModelParameters defaults() { return meanfield::ModelParameters{}; }  // docs/theory.md §2: t_1/2 = 50.156

std::vector<double> grid(double t_max, int points) {
  std::vector<double> t;
  for (int i = 0; i < points; ++i) t.push_back(t_max * i / (points - 1));
  return t;
}

// A run of `seeds` seeds whose every quantity is `f(quantity, t, seed)`, starting from the ODE of
// `p` at time warp(t) (warp = identity: the ODE itself).
using Shape = std::function<double(const std::string& quantity, double ode_value, double t, int seed)>;
compare::SimulatedRun synthetic(const meanfield::ModelParameters& p, int d, int seeds, double stretch = 1.0,
                                Shape shape = nullptr, double t_max = 100) {
  const auto t = grid(t_max, 41);
  std::vector<double> warped;
  for (double x : t) warped.push_back(x / stretch);
  const auto ode = meanfield::run_theory(p, warped, {}, {double(d)});
  compare::SimulatedRun run;
  run.d = d;
  for (int s = 0; s < seeds; ++s) {
    compare::SeedSeries seed;
    seed.seed = static_cast<std::uint64_t>(s);
    seed.t = t;
    for (std::size_t i = 0; i < t.size(); ++i) {
      const auto& row = ode.rows[i];
      const std::pair<const char*, double> values[] = {
          {"M", row.state.attention_retrieval},  {"alpha", row.derived.correct_lag_weight},
          {"R", row.state.teacher_alignment},    {"Q", row.state.offtarget_overlap},
          {"step_acc", row.step_acc_ld.at(0)},   {"rollout_acc", row.rollout_acc_ld.at(0)}};
      for (const auto& [q, v] : values) seed.values[q].push_back(shape ? shape(q, v, t[i], s) : v);
    }
    run.seeds.push_back(seed);
  }
  return run;
}

Variant variant(const std::string& name, std::vector<std::string> switches) {
  Variant v;
  v.name = name;
  v.switches = std::move(switches);
  return v;
}

AblationInput input_with(std::vector<Variant> variants) {
  AblationInput in;
  in.parameters = defaults();
  in.t_max = 100;
  in.dims = {64};
  in.variants = std::move(variants);
  return in;
}

VariantRun ran(std::size_t v, compare::SimulatedRun run) {
  VariantRun r;
  r.variant = v;
  r.d = run.d;
  r.run = std::move(run);
  return r;
}

const AblationRow& row_of(const AblationOutcome& o, const std::string& name, int d = 64) {
  for (const auto& r : o.rows)
    if (r.variant == name && r.d == d) return r;
  FAIL("no row for " << name);
  return o.rows.front();
}

}  // namespace

TEST_CASE("a run that follows the ODE is robust: zero RMS, the ODE's lock-on, every stage, LD accuracies") {
  auto in = input_with({variant("baseline", {})});
  in.runs.push_back(ran(0, synthetic(defaults(), 64, 3)));
  const auto o = analyse(in);
  REQUIRE(o.rows.size() == 1);
  const auto& r = o.rows.front();
  CHECK(r.theory_t_half == doctest::Approx(50.156).epsilon(1e-4));
  CHECK(o.ode_t_half == doctest::Approx(50.156).epsilon(1e-4));
  // alpha = 1/2 interpolated linearly between observations 2.5 apart: within a fraction of a step.
  CHECK(r.t_half == doctest::Approx(r.theory_t_half).epsilon(0.02));
  CHECK(r.t_half_std == doctest::Approx(0.0));
  CHECK(r.locked_seeds == 3);
  CHECK(r.t_half_M == doctest::Approx(50.156).epsilon(0.01));
  CHECK(r.rms_alpha == doctest::Approx(0.0));
  CHECK(r.rms_R == doctest::Approx(0.0));
  CHECK(r.rms_Q == doctest::Approx(0.0));
  CHECK(r.stage_order_ok);
  CHECK(r.verdict == Verdict::robust);
  // The plateau accuracy is the seed mean at t_1/2 / 2: the LD prediction there (0.30-0.35 at d = 64..256).
  CHECK(r.plateau_step_acc == doctest::Approx(r.theory_plateau_step_acc).epsilon(0.02));
  CHECK(r.plateau_step_acc > 0.2);
  CHECK(r.plateau_step_acc < 0.5);
  CHECK(r.final_rollout_acc == doctest::Approx(r.theory_final_rollout_acc));
  CHECK(r.final_rollout_acc > 0.9);
}

TEST_CASE("a variant whose attention never locks on breaks the theory, with no lock-on time") {
  auto in = input_with({variant("baseline", {}), variant("content_qk", {"content_qk"})});
  in.runs.push_back(ran(0, synthetic(defaults(), 64, 2)));
  in.runs.push_back(ran(1, synthetic(defaults(), 64, 2, 1.0, [](const std::string& q, double v, double, int) {
                          if (q == "alpha") return 1.0 / 9;  // uniform over the L = 9 lags
                          if (q == "M") return 0.0;
                          return v;
                        })));
  const auto o = analyse(in);
  const auto& r = row_of(o, "content_qk");
  CHECK(std::isnan(r.t_half));
  CHECK(r.locked_seeds == 0);
  CHECK_FALSE(r.stages.locks_on);
  CHECK_FALSE(r.stage_order_ok);
  CHECK(r.verdict == Verdict::breaks);
  CHECK(r.reason.find("no lock-on") != std::string::npos);
  CHECK(r.rms_alpha > 0.3);
  CHECK(std::isnan(r.plateau_step_acc));
  CHECK(row_of(o, "baseline").verdict == Verdict::robust);
  CHECK(o.report.find("The theory breaks") != std::string::npos);
  CHECK(o.report.find("**content_qk**") != std::string::npos);
}

TEST_CASE("stages are judged against the ODE's own: a run shorter than the ODE's lock-on agrees when it does not lock on") {
  // t_max = 40 ends before the ODE's lock-on at 50.156: neither locks on, and that is agreement.
  auto in = input_with({variant("baseline", {}), variant("optimizer=adam", {"optimizer=adam"})});
  in.t_max = 40;
  in.runs.push_back(ran(0, synthetic(defaults(), 64, 2, 1.0, nullptr, 40)));
  // A variant that locks on at t = 20 where the ODE does not lock on at all breaks it.
  in.runs.push_back(ran(1, synthetic(defaults(), 64, 2, 0.4, nullptr, 40)));
  const auto o = analyse(in);
  const auto& base = row_of(o, "baseline");
  CHECK(std::isnan(base.theory_t_half));
  CHECK(std::isnan(base.t_half));
  CHECK_FALSE(base.stages.locks_on);
  CHECK(base.verdict == Verdict::robust);
  const auto& early = row_of(o, "optimizer=adam");
  CHECK(early.t_half == doctest::Approx(0.4 * 50.156).epsilon(0.03));
  CHECK(early.verdict == Verdict::breaks);
  CHECK(early.reason.find("lock-on: ODE no, simulation yes") != std::string::npos);
  CHECK(o.report.find("not every stage by t_max") != std::string::npos);
}

TEST_CASE("a lock-on 25 % late keeps the stages but deviates, and the reason names the shift") {
  auto in = input_with({variant("baseline", {}), variant("rope=geometric", {"rope=geometric"})});
  in.runs.push_back(ran(0, synthetic(defaults(), 64, 2)));
  in.runs.push_back(ran(1, synthetic(defaults(), 64, 2, 1.25)));
  const auto o = analyse(in);
  const auto& r = row_of(o, "rope=geometric");
  CHECK(r.t_half == doctest::Approx(1.25 * 50.156).epsilon(0.02));
  CHECK(r.stage_order_ok);
  CHECK(r.verdict == Verdict::deviates);
  CHECK(r.reason.find("t_1/2 +2") != std::string::npos);  // +25 % (within the interpolation error)
  CHECK(r.rms_alpha > 0.1);
}

TEST_CASE("the RMS rule is relative to the baseline at the same d") {
  // Baseline: R and Q off by 0.1 (above the 0.05 floor). A variant at 0.15 stays within 2x; one at 0.3 does not.
  const auto offset = [](double by) {
    return [by](const std::string& q, double v, double, int) { return q == "R" || q == "Q" ? v + by : v; };
  };
  auto in = input_with({variant("baseline", {}), variant("train_embeddings", {"train_embeddings"}),
                        variant("logic_init=0.1", {"logic_init=0.1"})});
  in.runs.push_back(ran(0, synthetic(defaults(), 64, 2, 1.0, offset(0.1))));
  in.runs.push_back(ran(1, synthetic(defaults(), 64, 2, 1.0, offset(0.15))));
  in.runs.push_back(ran(2, synthetic(defaults(), 64, 2, 1.0, offset(0.3))));
  const auto o = analyse(in);
  CHECK(row_of(o, "baseline").rms_R == doctest::Approx(0.1));
  CHECK(row_of(o, "train_embeddings").verdict == Verdict::robust);
  const auto& bad = row_of(o, "logic_init=0.1");
  CHECK(bad.verdict == Verdict::deviates);
  CHECK(bad.reason.find("RMS R = 0.3 is 3.0x the baseline's") != std::string::npos);
  CHECK(bad.reason.find("RMS Q = 0.3 is 3.0x the baseline's") != std::string::npos);
}

TEST_CASE("single_lr is held to the ODE at eta_A = eta_W: a run following it is robust") {
  auto p = defaults();
  p.eta_A = p.eta_W;
  const double fast = meanfield::run_theory(p, grid(100, 401), {}, {}).milestones.lock_on_time;
  REQUIRE(fast < 40);  // t_1/2 scales like 1/sqrt(eta_A eta_W): much earlier than 50.156
  auto in = input_with({variant("baseline", {}), variant("single_lr", {"single_lr"})});
  in.runs.push_back(ran(0, synthetic(defaults(), 64, 2)));
  in.runs.push_back(ran(1, synthetic(p, 64, 2)));
  const auto o = analyse(in);
  const auto& r = row_of(o, "single_lr");
  CHECK(r.theory_t_half == doctest::Approx(fast));
  CHECK(r.t_half == doctest::Approx(fast).epsilon(0.03));
  CHECK(r.rms_alpha == doctest::Approx(0.0));
  CHECK(r.verdict == Verdict::robust);
  CHECK(row_of(o, "baseline").theory_t_half == doctest::Approx(50.156).epsilon(1e-4));
}

TEST_CASE("a run that failed is a row with its error, and ablation.csv has the documented columns, one row per run") {
  auto in = input_with({variant("baseline", {}), variant("optimizer=adam", {"optimizer=adam"})});
  in.dims = {32, 64};
  in.runs.push_back(ran(0, synthetic(defaults(), 32, 2)));
  in.runs.push_back(ran(0, synthetic(defaults(), 64, 2)));
  VariantRun failed;
  failed.variant = 1;
  failed.d = 64;
  failed.error = "ablation switches (optimizer=adam) are not available, in this build";
  in.runs.push_back(failed);
  const auto o = analyse(in);
  REQUIRE(o.rows.size() == 3);
  const auto& r = row_of(o, "optimizer=adam", 64);
  CHECK(r.verdict == Verdict::failed);
  CHECK(r.seeds == 0);
  CHECK(std::isfinite(r.theory_t_half));
  CHECK(o.report.find("Not run") != std::string::npos);

  const fs::path dir = fs::temp_directory_path() / ("cotdyn_test_ablation_csv_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  write_ablation_csv(o, dir / "ablation.csv");
  std::ifstream file(dir / "ablation.csv");
  std::string header;
  std::getline(file, header);
  CHECK(header ==
        "variant,switches,d,seeds,failed_seeds,t_half,t_half_std,locked_seeds,t_half_M,theory_t_half,"
        "heuristic_first,peak_near_lock_on,locks_on,alignment_accelerates,heuristic_decays,stage_order_ok,"
        "plateau_step_acc,theory_plateau_step_acc,final_rollout_acc,theory_final_rollout_acc,rms_alpha,rms_R,rms_Q,"
        "verdict,error");
  std::vector<std::vector<std::string>> rows;
  for (std::string line; std::getline(file, line);) {
    std::vector<std::string> cells;
    std::stringstream in_line(line);
    for (std::string cell; std::getline(in_line, cell, ',');) cells.push_back(cell);
    if (line.back() == ',') cells.emplace_back();
    rows.push_back(cells);
  }
  REQUIRE(rows.size() == 3);
  for (const auto& cells : rows) CHECK(cells.size() == 25);
  CHECK(rows[0][0] == "baseline");
  CHECK(rows[0][2] == "32");
  CHECK(rows[0][15] == "1");        // stage_order_ok
  CHECK(rows[0][23] == "robust");
  CHECK(rows[2][0] == "optimizer=adam");
  CHECK(rows[2][1] == "optimizer=adam");
  CHECK(rows[2][5].empty());        // no t_half
  CHECK(rows[2][15].empty());       // no stage flags for a run that did not happen
  CHECK(rows[2][23] == "failed");
  CHECK(rows[2][24] == "ablation switches (optimizer=adam) are not available; in this build");  // comma escaped

  // The figures: data and scripts (no gnuplot run here).
  write_ablation(o, in, dir, false);
  for (const char* f : {"ablation_overlay.gp", "ablation_summary.gp", "ablation_overlay_p1_s1.dat"})
    CHECK_MESSAGE(fs::is_regular_file(dir / "figures" / f), f);
  CHECK(fs::is_regular_file(dir / "report.md"));
  fs::remove_all(dir);
}

TEST_CASE("a finished run survives its files: write then read gives the same series") {
  const Variant v = variant("content_qk+rope=geometric", {"content_qk", "rope=geometric"});
  VariantRun run = ran(3, synthetic(defaults(), 32, 2));
  run.seed_failures = {"seed 7 stopped at t = 3: training loss is not finite"};
  run.seconds = 1.5;
  const fs::path dir = fs::temp_directory_path() / ("cotdyn_test_ablation_files_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  CHECK_FALSE(read_variant_run(dir, v, 3, 32).has_value());
  write_variant_run(dir, v, run, {"M", "alpha", "R", "Q", "step_acc", "rollout_acc"});
  CHECK(fs::is_regular_file(dir / "runs" / "content_qk+rope-geometric_d32.csv"));
  const auto back = read_variant_run(dir, v, 3, 32);
  REQUIRE(back.has_value());
  CHECK(back->variant == 3);
  CHECK(back->d == 32);
  CHECK(back->seconds == 1.5);
  CHECK(back->seed_failures == run.seed_failures);
  REQUIRE(back->run.seeds.size() == 2);
  for (std::size_t s = 0; s < 2; ++s) {
    CHECK(back->run.seeds[s].seed == run.run.seeds[s].seed);
    CHECK(back->run.seeds[s].t == run.run.seeds[s].t);
    for (const char* q : {"M", "alpha", "R", "Q", "step_acc", "rollout_acc"})
      CHECK(back->run.seeds[s].values.at(q) == run.run.seeds[s].values.at(q));
  }
  // Files of another variant under this name are refused rather than silently reused.
  fs::rename(dir / "runs" / "content_qk+rope-geometric_d32.json", dir / "runs" / "baseline_d32.json");
  CHECK_THROWS_WITH_AS(read_variant_run(dir, variant("baseline", {}), 0, 32),
                       doctest::Contains("belongs to variant \"content_qk+rope=geometric\""), std::runtime_error);
  fs::remove_all(dir);
}
