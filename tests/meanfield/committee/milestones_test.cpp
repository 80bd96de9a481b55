// Milestones (docs/models/committee.md §6): the specialisation rule, the log-slope, the plateau
// rule on synthetic curves, and the reference run's milestones.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include <cotdyn/meanfield/committee/milestones.hpp>

using namespace cotdyn::meanfield::committee;

namespace {

State with_overlaps(const Eigen::MatrixXd& R) {  // unit-norm students and teachers: r = R
  const auto K = R.rows(), M = R.cols();
  return State{Eigen::MatrixXd::Identity(K, K), R, Eigen::MatrixXd::Identity(M, M), Eigen::VectorXd::Ones(K)};
}

}  // namespace

TEST_CASE("specialisation needs a permutation-like normalised overlap for every teacher unit") {
  Eigen::MatrixXd R(2, 2);
  R << 0.1, 0.95, 0.92, -0.3;
  CHECK(is_specialised(with_overlaps(R)));
  R << 0.6, 0.6, 0.6, 0.6;  // symmetric plateau
  CHECK_FALSE(is_specialised(with_overlaps(R)));
  R << 0.95, 0.1, 0.91, 0.2;  // both students on teacher 0
  CHECK_FALSE(is_specialised(with_overlaps(R)));
  R << 0.95, 0.55, 0.1, 0.95;  // |r_01| >= 0.5
  CHECK_FALSE(is_specialised(with_overlaps(R)));
  R << -0.95, 0.1, 0.1, 0.95;  // anti-aligned does not count
  CHECK_FALSE(is_specialised(with_overlaps(R)));
  Eigen::MatrixXd surplus(3, 2);  // K > M: the surplus unit is unconstrained
  surplus << 0.95, 0.1, 0.7, 0.7, 0.0, 0.93;
  CHECK(is_specialised(with_overlaps(surplus)));
  // Normalisation: R = 0.5 with Q_ii = 0.25 and T_nn = 1 is r = 1.
  State s = with_overlaps((Eigen::MatrixXd(2, 2) << 0.5, 0.0, 0.0, 0.5).finished());
  s.Q *= 0.25;
  CHECK(is_specialised(s));
  s.T(1, 1) = 4;  // r_11 = 0.5 / sqrt(0.25 * 4) = 0.5
  CHECK_FALSE(is_specialised(s));
}

TEST_CASE("the log-slope is exact on power laws, also on uneven grids, and NaN where undefined") {
  const std::vector<double> t{0, 1, 1.5, 4, 10, 11};
  std::vector<double> eps;
  for (double x : t) eps.push_back(3 * std::pow(x, -2.0));
  eps[0] = 1;  // t = 0: no log
  const std::vector<double> phi = log_slope(t, eps);
  CHECK(std::isnan(phi[0]));
  for (std::size_t j = 1; j < t.size(); ++j) CHECK(phi[j] == doctest::Approx(-2.0).epsilon(1e-12));
  eps[3] = 0;
  const std::vector<double> gap = log_slope(t, eps);
  CHECK(std::isnan(gap[3]));
  CHECK(gap[2] == doctest::Approx(-2.0).epsilon(1e-12));  // one-sided next to the gap
}

TEST_CASE("a synthetic plateau gives t_star, its level and its ends, and t_spec bounds the search") {
  // eps = 0.5 t^-1 for t < 10, flat 0.05 on [10, 40], then 0.05 (t/40)^-3; specialised from t = 60.
  const std::vector<double> t = log_spaced_times(0.1, 1000, 200);
  std::vector<double> eps;
  std::vector<bool> flags;
  for (double x : t) {
    eps.push_back(x < 10 ? 0.5 / x : x <= 40 ? 0.05 * (1 + 1e-3 * std::log(x / 20) * std::log(x / 20)) : 0.05 * std::pow(x / 40, -3.0));
    flags.push_back(x >= 60);
  }
  const Milestones m = find_milestones(t, eps, flags);
  REQUIRE(m.t_spec);
  CHECK(*m.t_spec == doctest::Approx(60).epsilon(0.012));
  REQUIRE(m.t_star);
  CHECK(*m.t_star == doctest::Approx(20).epsilon(0.012));
  CHECK(*m.eps_plateau == doctest::Approx(0.05).epsilon(1e-4));
  REQUIRE(m.plateau_start);
  CHECK(*m.plateau_start == doctest::Approx(10).epsilon(0.025));
  CHECK(*m.plateau_end == doctest::Approx(40).epsilon(0.025));
  CHECK(m.final_eps_g == eps.back());
}

TEST_CASE("without a flat stretch there is a t_star but no plateau, and without specialisation no t_spec") {
  const std::vector<double> t = log_spaced_times(0.5, 100, 100);
  std::vector<double> eps;
  for (double x : t) eps.push_back(std::pow(x, -0.5) + std::pow(x, -3.0));  // |phi| >= 0.5 everywhere
  const Milestones m = find_milestones(t, eps, std::vector<bool>(t.size(), false));
  CHECK_FALSE(m.t_spec);
  REQUIRE(m.t_star);
  CHECK(*m.t_star >= 1);
  CHECK_FALSE(m.plateau_start);
  CHECK_FALSE(m.plateau_end);
  CHECK_THROWS_AS(find_milestones({1, 1}, {1, 1}, {false, false}), std::invalid_argument);
  CHECK_THROWS_AS(find_milestones({1, 2}, {1}, {false, false}), std::invalid_argument);
}

TEST_CASE("the reference run's milestones (erf, table A start) within 0.5 percent") {
  State s{Eigen::MatrixXd(2, 2), Eigen::MatrixXd(2, 2), Eigen::MatrixXd::Identity(2, 2), Eigen::VectorXd::Ones(2)};
  s.Q << 0.5, 0.1, 0.1, 0.3;
  s.R << 0.1, 0.02, 0.01, 0.05;
  const Milestones m = theory_milestones(Parameters{}, s, 500);
  REQUIRE(m.t_spec);
  REQUIRE(m.plateau_start);
  CHECK(*m.t_spec == doctest::Approx(90.1).epsilon(0.005));
  CHECK(*m.t_star == doctest::Approx(18.4).epsilon(0.005));
  CHECK(*m.eps_plateau == doctest::Approx(0.015458).epsilon(0.005));
  CHECK(*m.plateau_start == doctest::Approx(12.9).epsilon(0.005));
  CHECK(*m.plateau_end == doctest::Approx(36.4).epsilon(0.005));
  CHECK(std::abs(m.final_eps_g - 2.77182055e-10) < 1e-6);
}

TEST_CASE("started on the symmetric subspace the ODE never specialises") {
  State s{Eigen::MatrixXd::Constant(2, 2, 0.002), Eigen::MatrixXd::Constant(2, 2, 0.001), Eigen::MatrixXd::Identity(2, 2),
          Eigen::VectorXd::Ones(2)};
  s.Q.diagonal().setConstant(0.01);
  const Milestones m = theory_milestones(Parameters{}, s, 300, {}, 200);
  CHECK_FALSE(m.t_spec);
  REQUIRE(m.plateau_end);
  CHECK(*m.plateau_end == doctest::Approx(300));  // the plateau lasts to the end
  CHECK(m.final_eps_g == doctest::Approx(*m.eps_plateau).epsilon(1e-3));
}
