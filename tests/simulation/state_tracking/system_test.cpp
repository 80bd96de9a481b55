#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <cotdyn/meanfield/state_tracking/label_noise.hpp>
#include <cotdyn/meanfield/state_tracking/solver.hpp>
#include <cotdyn/simulation/state_tracking/measure.hpp>
#include <cotdyn/tests/simulation/state_tracking/simulation_test_helpers.hpp>
#include <cotdyn/simulation/state_tracking/train.hpp>

// c10 logging (glog) defines CHECK; the assertions here are doctest's.
#undef CHECK
#include <doctest/doctest.h>

using namespace cotdyn::simulation;
using testing::quiet;
using testing::read_text;
namespace fs = std::filesystem;

namespace {


fs::path fresh_directory(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("cotdyn_test_simulation_" + name);
  fs::remove_all(dir);
  return dir;
}

}  // namespace

TEST_CASE("conservation law R_c + (K-1) Q_c + (n-K) P_c = 0 holds during training") {
  auto settings = testing::small_settings(32, 10.0);
  const auto result = train(settings, quiet());
  REQUIRE(result.measurements.size() == 12u);  // 6 times x 2 seeds
  for (const auto& row : result.measurements) {
    const double R_c = result.value(row, "R_c"), Q_c = result.value(row, "Q_c"), P_c = result.value(row, "P_c");
    CHECK(std::abs(R_c + 3 * Q_c + 20 * P_c) < 1e-13);
    if (row.step > 0) CHECK(R_c > 0.01);  // the logic module learns, the law is not vacuous
  }
}

TEST_CASE("label noise slows the teacher alignment as the noisy ODE predicts (eps = 0.9, t = 10)") {
  // docs/theory.md §16: dR/dt = eta_W/(nK) ((1-eps) E2 + eps/n - E1), about a tenth of the clean slope
  // at eps = 0.9 on the plateau. The conservation law still holds: every target is one-hot.
  auto settings = testing::small_settings(32, 10.0);
  settings.label_noise = 0.9;
  const auto noisy = train(settings, quiet());
  settings.label_noise = 0;
  const auto clean = train(settings, quiet());
  cotdyn::meanfield::ModelParameters p;
  p.label_noise = 0.9;
  const double ode_R = cotdyn::meanfield::solve(cotdyn::meanfield::MeanFieldOde(p), {10.0}).states[0].teacher_alignment;
  double noisy_R = 0, clean_R = 0;
  for (std::size_t i = 0; i < noisy.measurements.size(); ++i) {
    const auto& row = noisy.measurements[i];
    CHECK(std::abs(noisy.value(row, "R_c") + 3 * noisy.value(row, "Q_c") + 20 * noisy.value(row, "P_c")) < 1e-13);
    if (row.t == 10.0) {
      noisy_R += noisy.value(row, "R_c") / settings.seeds;
      clean_R += clean.value(clean.measurements[i], "R_c") / settings.seeds;
    }
  }
  CAPTURE(ode_R);
  CAPTURE(noisy_R);
  CAPTURE(clean_R);
  CHECK(noisy_R == doctest::Approx(ode_R).epsilon(0.25));
  CHECK(noisy_R < 0.2 * clean_R);
}

TEST_CASE("with label noise the solvable model measures the entropy probes, and H_target - entropy = kl + sharpening") {
  // docs/models/entropy.md: the columns appear only with eps > 0; the decomposition holds per row.
  auto settings = testing::small_settings(32, 20.0 / 32);
  settings.label_noise = 0.3;
  for (auto logic : {LogicStorage::coefficients, LogicStorage::tensor}) {
    settings.logic = logic;
    const auto result = train(settings, quiet());
    REQUIRE(result.columns == measurement_columns(probes_of(settings)));
    cotdyn::meanfield::ModelParameters p;
    p.label_noise = 0.3;
    const double H_target = cotdyn::meanfield::target_entropy(p);
    for (const auto& row : result.measurements) {
      const double entropy = result.value(row, "entropy"), kl = result.value(row, "kl");
      CHECK(std::abs(H_target - entropy - (kl + result.value(row, "sharpening"))) < 1e-12);
      CHECK(kl >= 0);
      // Attention output sum_a w_a e_a of unit vectors: 0 < bypass <= 1.
      CHECK((result.value(row, "bypass") > 0 && result.value(row, "bypass") <= 1 + 1e-12));
    }
    // The logic learns: the probability of the correct state rises from 1/n (on the plateau, slowly).
    CHECK(result.value(result.measurements[0], "p_correct") == doctest::Approx(1.0 / 24));
    CHECK(result.value(result.measurements.back(), "p_correct") > 1.0 / 24 + 1e-4);
  }
}

TEST_CASE("same seed, same result") {
  auto settings = testing::small_settings(32, 3.0);
  const auto first = train(settings, quiet());
  const auto second = train(settings, quiet());
  REQUIRE(first.measurements.size() == second.measurements.size());
  for (std::size_t i = 0; i < first.measurements.size(); ++i) CHECK(first.measurements[i].values == second.measurements[i].values);
  settings.base_seed += 100;
  const auto other = train(settings, quiet());
  CHECK(other.measurements.back().values != first.measurements.back().values);
}

TEST_CASE("a seed trained inside a batch follows the same trajectory as alone (1e-12)") {
  auto batched = testing::small_settings(32, 4.0);
  batched.seeds = 3;
  batched.base_seed = 7;
  auto alone = batched;
  alone.seeds = 1;
  alone.base_seed = 8;  // the batch's second seed
  const auto batch_result = train(batched, quiet());
  const auto alone_result = train(alone, quiet());
  std::size_t compared = 0;
  for (const auto& row : batch_result.measurements) {
    if (row.seed != 8) continue;
    const auto& single = alone_result.measurements.at(compared++);
    REQUIRE(single.step == row.step);
    for (std::size_t c = 0; c < row.values.size(); ++c) {
      CAPTURE(batch_result.columns[c]);
      CAPTURE(row.step);
      CHECK(testing::close(row.values[c], single.values[c], 1e-12));
    }
  }
  CHECK(compared == alone_result.measurements.size());
}

TEST_CASE("an interrupted run resumed from its checkpoint reaches the uninterrupted result") {
  auto settings = testing::small_settings(32, 6.0);
  const fs::path whole = fresh_directory("whole"), pieces = fresh_directory("pieces");
  const RunStatus whole_status = testing::start_run(settings, whole, quiet());
  CHECK(whole_status.completed());

  RunOptions interrupt = quiet();
  interrupt.stop_at_step = 50;  // between the observations at steps 38 and 77
  const RunStatus first = testing::start_run(settings, pieces, interrupt);
  CHECK(first.interrupted);
  CHECK(read_text(pieces / "simulation.csv") != read_text(whole / "simulation.csv"));
  interrupt.stop_at_step = 100;  // a second interruption, between observations
  const RunStatus second = testing::resume_run(settings, pieces, interrupt);
  CHECK(second.interrupted);
  const RunStatus last = testing::resume_run(settings, pieces, quiet());
  CHECK(last.completed());
  CHECK(read_text(pieces / "simulation.csv") == read_text(whole / "simulation.csv"));
  CHECK(read_text(pieces / "simulation_summary.csv") == read_text(whole / "simulation_summary.csv"));
  fs::remove_all(whole);
  fs::remove_all(pieces);
}

TEST_CASE("a stop request ends the run cleanly with the measurements so far") {
  auto settings = testing::small_settings(32, 6.0);
  const fs::path dir = fresh_directory("stop");
  std::atomic<bool> stop{true};
  RunOptions options = quiet();
  options.stop_requested = &stop;
  const RunStatus status = testing::start_run(settings, dir, options);
  CHECK(status.interrupted);
  // The observation at t = 0 was made before the stop: header + one row per seed.
  const std::string csv = read_text(dir / "simulation.csv");
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 3);
  CHECK(fs::exists(dir / "checkpoint" / "state.json"));
  CHECK(fs::exists(dir / "simulation_summary.csv"));
  fs::remove_all(dir);
}

TEST_CASE("a diverging seed stops with a message naming step, time and quantity") {
  auto settings = testing::small_settings(32, 2.0);
  settings.eta_A = 1e300;  // q and k overflow after the first update
  const auto result = train(settings, quiet());
  REQUIRE(result.status.failures.size() == 2u);
  for (const auto& failure : result.status.failures) {
    CHECK(failure.step >= 1);
    CHECK(failure.message().find("non-finite") != std::string::npos);
    CHECK(failure.message().find("step") != std::string::npos);
  }
  CHECK(result.measurements.size() == 2u);  // the t = 0 observation of both seeds is kept
}

TEST_CASE("default config at d = 64 locks on within 10% of the ODE's t_1/2 = 50.156 and rolls out exactly") {
  SimulationSettings settings = testing::default_settings();
  settings.d = 64;
  settings.observation_times.clear();
  settings.seeds = 2;
  settings.base_seed = 1;
  settings.eval_sequences = 500;
  for (int i = 0; i <= 100; ++i) settings.observation_times.push_back(i);
  const auto result = train(settings, quiet());
  const double M_half = (8.0 / 9.0) * std::log(8.0);  // alpha(M) = 1/2 (docs/theory.md §3)
  for (std::uint64_t seed : {1ull, 2ull}) {
    std::vector<double> times, M, rollout;
    for (const auto& row : result.measurements)
      if (row.seed == seed) {
        times.push_back(row.t);
        M.push_back(result.value(row, "M"));
        rollout.push_back(result.value(row, "rollout_acc"));
      }
    REQUIRE(times.size() == 101u);
    CHECK(rollout.back() == 1.0);
    // First crossing of M_half, log M interpolated linearly between observations (docs/theory.md §9.2).
    double t_half = -1;
    for (std::size_t i = 1; i < times.size() && t_half < 0; ++i)
      if (M[i] >= M_half && M[i - 1] > 0) {
        const double fraction = (std::log(M_half) - std::log(M[i - 1])) / (std::log(M[i]) - std::log(M[i - 1]));
        t_half = times[i - 1] + fraction * (times[i] - times[i - 1]);
      }
    CAPTURE(seed);
    CAPTURE(t_half);
    MESSAGE("seed ", seed, ": t_1/2 = ", t_half, " (ODE 50.156)");
    CHECK(std::abs(t_half - 50.156) <= 0.1 * 50.156);
  }
}
