// The committee machine's specialisation time per seed: the measured state of a row, the rule of
// docs/models/committee.md §6 on constructed measurements whose answer is known, and the table,
// report and results of compare's addition.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include <cotdyn/models/committee/specialisation_times.hpp>

using namespace cotdyn;
using models::committee::add_specialisation_times;
using models::committee::measured_state;
using models::committee::measured_t_spec;
using models::committee::SeedSpecialisation;

namespace {
// K = M = 2 measurements at t = 0, 1, 2, 3: Q = I, T = I, v = 1, and R per row as given (R_0_0, R_0_1,
// R_1_0, R_1_1), so that r_in = R_in.
models::Trajectory seed(const std::vector<std::vector<double>>& R) {
  models::Trajectory t;
  t.columns = {"t", "Q_0_0", "Q_0_1", "Q_1_1", "R_0_0", "R_0_1", "R_1_0", "R_1_1", "T_0_0", "T_0_1", "T_1_1", "v_0", "v_1"};
  for (std::size_t j = 0; j < R.size(); ++j)
    t.rows.push_back({double(j), 1, 0, 1, R[j][0], R[j][1], R[j][2], R[j][3], 1, 0, 1, 1, 1});
  return t;
}
}  // namespace

TEST_CASE("a measured row gives Q and T symmetric, R and v as named") {
  auto t = seed({{0.1, 0.2, 0.3, 0.4}});
  t.rows[0][2] = 0.05;  // Q_0_1
  t.rows[0][9] = 0.07;  // T_0_1
  t.rows[0][12] = 0.5;  // v_1
  const auto s = measured_state(t, 0, 2, 2);
  CHECK(s.Q(0, 1) == 0.05);
  CHECK(s.Q(1, 0) == 0.05);
  CHECK(s.T(1, 0) == 0.07);
  CHECK(s.R(1, 0) == 0.3);
  CHECK(s.R(0, 1) == 0.2);
  CHECK(s.v(1) == 0.5);
  CHECK_THROWS_AS(measured_state(t, 0, 3, 2), std::out_of_range);  // no Q_0_2
}

TEST_CASE("the measured t_spec is the first observation at which the rule of §6 holds, for either assignment") {
  // Row 1: unit 0 qualifies for teacher 0 but nobody for teacher 1; row 2: both (the identity).
  CHECK(measured_t_spec(seed({{0.1, 0.1, 0.1, 0.1}, {0.95, 0.1, 0.1, 0.6}, {0.95, 0.1, 0.1, 0.92}, {1, 0, 0, 1}}), 2, 2) == 2.0);
  // The swapped assignment (unit 0 on teacher 1, unit 1 on teacher 0) counts the same, at row 3.
  CHECK(measured_t_spec(seed({{0, 0, 0, 0}, {0, 0.5, 0.5, 0}, {0, 0.95, 0.89, 0}, {0, 0.95, 0.91, 0.4}}), 2, 2) == 3.0);
  // |r_im| < 0.5 is required of the other teacher unit: r = 0.95 with 0.5 beside it does not qualify.
  CHECK(std::isnan(measured_t_spec(seed({{0.95, 0.5, 0.5, 0.95}, {0.95, 0.5, 0.5, 0.95}}), 2, 2)));
}

TEST_CASE("the specialisation table, report and results hold each seed and the mean and s.d. of the differences") {
  const double nan = std::nan("");
  // N = 100: simulation - own ODE = +10 and -10 (mean 0, s.d. 10); simulation - theory = 0 and -20.
  // N = 200: one seed never specialises in the simulation.
  const std::vector<SeedSpecialisation> rows = {
      {100, 0, 100, 90, 100}, {100, 1, 80, 90, 100}, {200, 0, 150, 140, 145}, {200, 1, nan, 150, 145}};
  models::ComparisonAdditions added;
  add_specialisation_times(rows, added);
  REQUIRE(added.tables.size() == 1);
  CHECK(added.tables[0].file == "specialisation_times.csv");
  CHECK(added.tables[0].table.str() ==
        "N,seed,t_spec_simulation,t_spec_own_ode,t_spec_mean_ode\n100,0,100,90,100\n100,1,80,90,100\n"
        "200,0,150,140,145\n200,1,,150,145\n");
  const auto& n100 = added.results["specialisation_times"]["100"];
  CHECK(n100["simulation_minus_own_ode"]["mean"].get<double>() == doctest::Approx(0.0));
  CHECK(n100["simulation_minus_own_ode"]["std"].get<double>() == doctest::Approx(10.0));
  CHECK(n100["simulation_minus_theory"]["mean"].get<double>() == doctest::Approx(-10.0));
  CHECK(n100["simulation_minus_theory"]["std"].get<double>() == doctest::Approx(10.0));
  const auto& n200 = added.results["specialisation_times"]["200"];
  CHECK(n200["simulation_minus_own_ode"]["seeds"] == 1);
  CHECK(n200["simulation_minus_own_ode"]["mean"].get<double>() == doctest::Approx(10.0));
  CHECK(n200["per_seed"][1]["simulation"].is_null());
  CHECK(added.report.find("| 200 | 1 | not reached | 150 | 145 |") != std::string::npos);
  CHECK(added.report.find("| 100 | 2 / 2 of 2 | +0 ± 10 | -10 ± 10 |") != std::string::npos);
  CHECK(added.report.find("| 200 | 1 / 2 of 2 | +10 ± 0 (1 of 2 seeds) |") != std::string::npos);
}
