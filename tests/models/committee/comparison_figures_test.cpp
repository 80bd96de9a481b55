// The committee machine's comparison figures on synthetic data: the plateau and t_spec marks, the
// heatmap times and cells (theory and seed mean), one seed's R_in against its ODE.
#include <doctest/doctest.h>

#include <cmath>

#include <fmt/format.h>

#include <cotdyn/models/committee/comparison_figures.hpp>

using namespace cotdyn;
using models::committee::learning_curve_figure;
using models::committee::one_seed_figure;
using models::committee::overlap_figure;
using models::committee::overlap_time_indices;

namespace {

// K = 2 students, M = 1 teacher; times 0, 1, 2, 5, 10, 20, 50, 100. Column value = base + time index,
// per seed shifted by +-0.5 (so the seed mean is the base), the theory shifted by `shift`.
models::Trajectory trajectory(double shift) {
  models::Trajectory t;
  t.columns = {"t", "eg", "Q_0_0", "Q_0_1", "Q_1_1", "R_0_0", "R_1_0", "v_0", "v_1"};
  const std::vector<double> times = {0, 1, 2, 5, 10, 20, 50, 100};
  for (std::size_t j = 0; j < times.size(); ++j) {
    std::vector<double> row = {times[j]};
    for (std::size_t c = 1; c < t.columns.size(); ++c) row.push_back(10.0 * c + j + shift);
    row[1] = 1.0 / (1 + times[j]) + shift * 0.01;  // eg > 0
    t.rows.push_back(row);
  }
  return t;
}

models::ComparedSize synthetic() {
  models::ComparedSize size;
  size.size = 500;
  size.seeds = {3, 4};
  size.measured = {trajectory(-0.5), trajectory(0.5)};
  size.theory = trajectory(0.25);
  size.theory.milestones = {{"t_spec", 45.0}, {"t_star", 4.0}, {"eg_plateau", 0.2},
                            {"plateau_start", 2.0}, {"plateau_end", 10.0}, {"final_eg", 0.01}};
  return size;
}

}  // namespace

TEST_CASE("the learning curve overlays ODE and seed mean per size and marks the ODE's plateau and t_spec") {
  const auto figure = learning_curve_figure({synthetic()});
  REQUIRE(figure.panels.size() == 1);
  const auto& panel = figure.panels[0];
  CHECK(panel.log_x);
  CHECK(panel.log_y);
  CHECK(*panel.x_range.min == 1.0);  // the first positive time
  REQUIRE(panel.series.size() == 4);
  CHECK(panel.series[1].y[3] == doctest::Approx(1.0 / 6));  // seed mean of eg at t = 5
  CHECK(panel.series[2].x == std::vector<double>{2.0, 10.0});
  CHECK(panel.series[2].y == std::vector<double>{0.2, 0.2});
  CHECK(panel.series[3].x == std::vector<double>{45.0, 45.0});
}

TEST_CASE("the heatmaps are shown at the times nearest t_star and t_spec in log t, and at the last time") {
  auto size = synthetic();
  CHECK(overlap_time_indices(size) == std::vector<std::size_t>{3, 6, 7});  // t = 5, 50, 100
  size.theory.milestones[0].value = std::nan("");                         // no specialisation
  CHECK(overlap_time_indices(size) == std::vector<std::size_t>{3, 7});
}

TEST_CASE("each heatmap row holds R and Q of the ODE and of the seed mean, on one colour range per matrix") {
  const auto figure = overlap_figure(synthetic(), 2, 1);
  REQUIRE(figure.panels.size() == 12);  // three times x (R, R, Q, Q)
  const auto& r_theory = figure.panels[0].series[0];
  const auto& r_mean = figure.panels[1].series[0];
  // t index 3: R_0_0 is column 5 (50 + 3), R_1_0 column 6 (60 + 3); theory +0.25, seed mean +0.
  CHECK(r_theory.values == std::vector<double>{53.25, 63.25});
  CHECK(r_mean.values == std::vector<double>{53.0, 63.0});
  CHECK(*figure.panels[0].cb_range.min == 53.0);
  CHECK(*figure.panels[1].cb_range.max == 63.25);
  // Q is symmetric: entry (1, 0) is Q_0_1 (column 3).
  const auto& q_mean = figure.panels[3].series[0];
  CHECK(q_mean.values == std::vector<double>{23.0, 33.0, 33.0, 43.0});
}

TEST_CASE("one seed's R_in: a line of its ODE and its measured markers per pair (i, n)") {
  const auto size = synthetic();
  const auto figure = one_seed_figure(size, 1, trajectory(0.0), 2, 1);
  REQUIRE(figure.panels.size() == 1);
  const auto& series = figure.panels[0].series;
  REQUIRE(series.size() == 4);
  CHECK(series[1].y == size.measured[1].column("R_0_0"));
  CHECK(series[2].y == trajectory(0.0).column("R_1_0"));
  CHECK(figure.title.find("seed 4") != std::string::npos);
}
