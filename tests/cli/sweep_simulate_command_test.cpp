// `cotdyn sweep` with kind = "simulate" and "compare", end to end: points.csv with the milestone
// columns, one chunk file per point equal to the point run in this process, resume, discrepancy columns and
// figures, and bad input that writes nothing.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <sys/wait.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cotdyn/tests/cli/command_test_helpers.hpp>
#include <cotdyn/core/config.hpp>
#include <cotdyn/analysis/sweep/chunk_file.hpp>
#include <cotdyn/analysis/sweep/simulate_point.hpp>
#include <cotdyn/analysis/sweep/sweep_directory.hpp>
#include <cotdyn/analysis/sweep/sweep_figures.hpp>

namespace fs = std::filesystem;
using namespace cotdyn;

namespace {
fs::path scratch(const std::string& name) { return cotdyn::testing::scratch_directory("sweep_sim", name); }

// COTDYN_KEEP_BLAS_CORE: the executable keeps this process's BLAS kernels (core/blas_kernels.hpp),
// so that its points can be compared with points run here number for number.
int run(const std::string& arguments, const fs::path& log) {
  return cotdyn::testing::run_cotdyn(arguments, log, "COTDYN_KEEP_BLAS_CORE=1");
}

std::string read(const fs::path& path) { return cotdyn::testing::read_text(path); }

void write(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

// Two small points (d = 16, 2 seeds, t_max = 45): lock-on near t = 41 and 35.
const std::vector<std::string> base_sets = {"model.d=16", "train.seeds=2", "train.t_max=45",
                                            "observe.times=linear:0:t_max:10"};
std::string base_options() {
  std::string options;
  for (const auto& set : base_sets) options += " --set " + set;
  return options + " --no-plots --threads 2";
}
const char* two_points = "[axes]\n\"train.eta_A\" = { values = [3.0, 4.0] }\n";
}  // namespace

TEST_CASE("a simulate sweep writes points.csv with the milestone columns and one file per point, and resumes") {
  const fs::path dir = scratch("simulate");
  write(dir / "sim.toml", std::string("kind = \"simulate\"\n") + two_points);
  const fs::path out = dir / "out";
  REQUIRE(run(fmt::format("sweep {}{} --out {}", (dir / "sim.toml").string(), base_options(), out.string()),
              dir / "log") == 0);
  CHECK(read(dir / "log").find("2 simulate points; 0 already finished, running 2") != std::string::npos);
  const std::string csv = read(out / "points.csv");
  CHECK(first_line(csv) ==
        "train.eta_A,t_half,t_half_std,locked_seeds,t_half_alpha,Q_max,t_Q_max,plateau_step_acc,final_step_acc,"
        "final_rollout_acc,final_state_acc,seeds,point_file,error");
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 3);
  REQUIRE(sweep::chunk_files(out).size() == 2);  // simulation points: one point per chunk

  // Each point's entry equals the point run here with the same config (same seeds, one intra-op thread).
  const auto table = sweep::read_points_table(out);
  REQUIRE(table.rows.size() == 2);
  for (const auto& row : table.rows) {
    const auto chunk = sweep::read_chunk_file(out / "points" / row.file);
    REQUIRE(chunk.entries.size() == 1);
    const auto& point = chunk.entries.front();
    CHECK(point.run["intra_op_threads"] == 1);
    CHECK(point.run["points_in_flight"] == 2);
    CHECK(point.trajectory["rows"].size() == 10);
    CHECK(point.trajectory["columns"][1] == "M");
    CHECK(point.trajectory["columns"][2] == "M_std");
    core::Config config;
    for (const auto& set : base_sets) config.apply_set(set);
    config.apply_set(fmt::format("train.eta_A={}", row.axis_values[0].get<double>()));
    const auto record = sweep::SimulatePointRunner().run(config);
    const auto names = sweep::simulated_milestone_names();
    for (std::size_t k = 0; k < names.size(); ++k) {
      CAPTURE(names[k]);
      CHECK(point.milestones[k] == record.milestones[k]);  // NaN never expected
    }
  }

  // --resume skips the finished points; a lost chunk file's point is run again, to the same result.
  REQUIRE(run(fmt::format("sweep {}{} --resume --out {}", (dir / "sim.toml").string(), base_options(), out.string()),
              dir / "log") == 0);
  CHECK(read(dir / "log").find("2 already finished, running 0") != std::string::npos);
  CHECK(read(out / "points.csv") == csv);
  fs::remove(out / "points" / table.rows.front().file);
  REQUIRE(run(fmt::format("sweep {}{} --resume --out {}", (dir / "sim.toml").string(), base_options(), out.string()),
              dir / "log") == 0);
  CHECK(read(dir / "log").find("1 already finished, running 1") != std::string::npos);
  CHECK(read(out / "points.csv") == csv);
  fs::remove_all(dir);
}

TEST_CASE("a compare sweep writes theory, simulation and discrepancy columns and the discrepancy figures") {
  const fs::path dir = scratch("compare");
  write(dir / "cmp.toml", std::string("kind = \"compare\"\n") + two_points);
  const fs::path out = dir / "out";
  REQUIRE(run(fmt::format("sweep {}{} --out {}", (dir / "cmp.toml").string(), base_options(), out.string()),
              dir / "log") == 0);
  const auto table = sweep::read_points_table(out);
  REQUIRE(table.rows.size() == 2);
  const std::string header = first_line(read(out / "points.csv"));
  for (const char* column : {"theory_t_half", "sim_t_half", "t_half_diff", "rms_M", "rms_alpha", "rms_R", "rms_Q",
                             "rms_R_c", "rms_Q_c", "rms_step_acc", "rms_rollout_acc"}) {
    CAPTURE(column);
    CHECK(header.find(std::string(",") + column + ",") != std::string::npos);
  }
  for (const auto& row : table.rows) {
    CHECK(row.error.empty());
    for (double value : row.milestones) CHECK(std::isfinite(value));  // both lock on before t_max
  }
  const auto figures = sweep::default_sweep_figures(table, dir / "figures", {/*render=*/false});
  CHECK(std::find(figures.begin(), figures.end(), "discrepancy_vs_train.eta_A") != figures.end());
  CHECK(std::find(figures.begin(), figures.end(), "milestones_vs_train.eta_A") != figures.end());
  CHECK(fs::exists(dir / "figures" / "discrepancy_vs_train.eta_A.gp"));
  fs::remove_all(dir);
}

TEST_CASE("simulate and compare sweeps with a bad value exit 2, name the key and point, and write nothing") {
  const fs::path dir = scratch("bad");
  write(dir / "d.toml", "kind = \"simulate\"\n[axes]\n\"model.d\" = { values = [16, 20] }\n");
  write(dir / "logic.toml", "kind = \"compare\"\n[axes]\n\"model.logic\" = { values = [\"coefficients\", \"dense\"] }\n");
  const fs::path out = dir / "out";
  CHECK(run(fmt::format("sweep {} --no-plots --out {}", (dir / "d.toml").string(), out.string()), dir / "log") == 2);
  CHECK(!fs::exists(out));
  const std::string log = read(dir / "log");
  CHECK(log.find("sweep point 1 (model.d = 20)") != std::string::npos);
  CHECK(log.find("multiple of 2(L-1) = 16") != std::string::npos);
  CHECK(run(fmt::format("sweep {} --no-plots --out {}", (dir / "logic.toml").string(), out.string()), dir / "log") ==
        2);
  CHECK(!fs::exists(out));
  CHECK(read(dir / "log").find("model.logic = \"dense\": allowed are \"coefficients\" and \"tensor\"") !=
        std::string::npos);
  fs::remove_all(dir);
}
