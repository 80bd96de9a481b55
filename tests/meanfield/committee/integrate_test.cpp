// Integration: the reference trajectories of docs/models/committee.md §5 to 1e-6, the linear
// network against its own polynomial ODE, the noise floors, columns and input checks.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include <cotdyn/meanfield/committee/integrate.hpp>

using namespace cotdyn::meanfield::committee;

namespace {

State reference_start() {
  State s{Eigen::MatrixXd(2, 2), Eigen::MatrixXd(2, 2), Eigen::MatrixXd::Identity(2, 2), Eigen::VectorXd::Ones(2)};
  s.Q << 0.5, 0.1, 0.1, 0.3;
  s.R << 0.1, 0.02, 0.01, 0.05;
  return s;
}

void check_table(const Trajectory& trajectory, const std::vector<std::string>& columns,
                 const std::vector<std::vector<double>>& rows) {
  REQUIRE(trajectory.times.size() == rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    CHECK(trajectory.times[r] == rows[r][0]);
    for (std::size_t c = 0; c < columns.size(); ++c) {
      INFO("t = " << rows[r][0] << ", " << columns[c]);
      CHECK(std::abs(trajectory.column(columns[c])[r] - rows[r][c + 1]) < 1e-6);
    }
  }
}

}  // namespace

TEST_CASE("reference table A (erf, second layer fixed) is reproduced to 1e-6") {
  const Trajectory a = integrate(Parameters{}, reference_start(), {0, 1, 10, 50, 100, 200, 300, 500});
  check_table(a, {"eg", "R_0_0", "R_0_1", "R_1_0", "R_1_1", "Q_0_0", "Q_0_1", "Q_1_1"},
              {{0, 0.493440364, 0.1, 0.02, 0.01, 0.05, 0.5, 0.1, 0.3},
               {1, 0.259605929, 0.235558347, 0.158358698, 0.149360908, 0.198230533, 0.474197125, 0.063465056, 0.311274260},
               {10, 0.0165590326, 0.473592700, 0.400247742, 0.377676725, 0.448857052, 0.531529613, 0.223601821, 0.482788247},
               {50, 0.0141192279, 0.526371813, 0.349089814, 0.333270551, 0.508895019, 0.484304532, 0.274258271, 0.454159709},
               {100, 0.00765642876, 0.697169384, 0.193488265, 0.185265678, 0.686099922, 0.562298448, 0.226423205, 0.543506668},
               {200, 0.00016045927, 0.959740202, 0.021205239, 0.020370540, 0.958147982, 0.922507025, 0.038976034, 0.919416581},
               {300, 1.94048739e-06, 0.995568185, 0.002274971, 0.002187745, 0.995392217, 0.991172890, 0.004431597, 0.990822146},
               {500, 2.77182055e-10, 0.999946583, 0.000027336, 0.000026292, 0.999944461, 0.999893171, 0.000053623, 0.999888928}});
  CHECK(a.column("v_0") == std::vector<double>(8, 1.0));  // the fixed second layer stays fixed
}

TEST_CASE("reference table B (every term on, erf and linear) is reproduced to 1e-6") {
  for (Activation g : {Activation::erf, Activation::linear}) {
    Parameters p;
    p.activation = g;
    p.eta = p.eta_v = g == Activation::erf ? 0.5 : 0.2;
    p.sigma = 0.1;
    p.kappa = 0.01;
    State start = reference_start();
    start.v << 0.8, 0.6;
    const Trajectory b = integrate(p, start, {0, 10, 50, 100});
    const std::vector<std::string> columns{"eg", "R_0_0", "R_1_1", "Q_0_0", "Q_0_1", "v_0", "v_1"};
    if (g == Activation::erf)
      check_table(b, columns,
                  {{0, 0.401633885, 0.1, 0.05, 0.5, 0.1, 0.8, 0.6},
                   {10, 0.0223623549, 0.562197428, 0.466925005, 0.668922860, 0.387367748, 0.871903648, 0.726839898},
                   {50, 0.0150733044, 0.564723048, 0.513825710, 0.583250186, 0.473512689, 0.886799137, 0.762614381},
                   {100, 0.0145158364, 0.585466187, 0.556822555, 0.546226820, 0.476784469, 0.872395790, 0.782335766}});
    else
      check_table(b, columns,
                  {{0, 1.13, 0.1, 0.05, 0.5, 0.1, 0.8, 0.6},
                   {10, 0.0163376511, 0.647594938, 0.496591664, 0.880941358, 0.480460648, 0.929930505, 0.742568303},
                   {50, 0.00226156791, 0.663189987, 0.516461382, 0.880072139, 0.595323011, 0.926268043, 0.731889136},
                   {100, 0.00223607811, 0.662175969, 0.517604121, 0.868053832, 0.643137654, 0.918897915, 0.719676267}});
  }
}

TEST_CASE("the linear network's eps_g follows its polynomial ODE integrated independently") {
  // Fixed second layer, K = M = 2, T = I: dR = eta v (v* - R^T v)^T, dQ = eta (e v^T + v e^T) + eta^2 E v v^T
  // with e = R v* - Q v and E = 2 eps_g + sigma^2; classical RK4 with dt = 1e-3.
  Parameters p;
  p.activation = Activation::linear;
  p.eta = 0.3;
  p.sigma = 0.2;
  const std::vector<double> times{0, 0.5, 2, 5, 10, 20};
  const Trajectory adaptive = integrate(p, reference_start(), times);
  Eigen::MatrixXd Q = reference_start().Q, R = reference_start().R;
  const Eigen::Vector2d v = Eigen::Vector2d::Ones(), w = Eigen::Vector2d::Ones();
  auto eps = [&](const Eigen::MatrixXd& q, const Eigen::MatrixXd& r) { return 0.5 * (v.dot(q * v) - 2 * v.dot(r * w) + w.dot(w)); };
  auto rhs = [&](const Eigen::MatrixXd& q, const Eigen::MatrixXd& r, Eigen::MatrixXd& dq, Eigen::MatrixXd& dr) {
    const Eigen::Vector2d e = r * w - q * v;
    dr = p.eta * v * (w - r.transpose() * v).transpose();
    dq = p.eta * (e * v.transpose() + v * e.transpose()) + p.eta * p.eta * (2 * eps(q, r) + p.sigma * p.sigma) * v * v.transpose();
  };
  const double dt = 1e-3;
  double t = 0;
  for (std::size_t j = 0; j < times.size(); ++j) {
    for (; t < times[j] - dt / 2; t += dt) {
      Eigen::MatrixXd q1, r1, q2, r2, q3, r3, q4, r4;
      rhs(Q, R, q1, r1);
      rhs(Q + dt / 2 * q1, R + dt / 2 * r1, q2, r2);
      rhs(Q + dt / 2 * q2, R + dt / 2 * r2, q3, r3);
      rhs(Q + dt * q3, R + dt * r3, q4, r4);
      Q += dt / 6 * (q1 + 2 * q2 + 2 * q3 + q4);
      R += dt / 6 * (r1 + 2 * r2 + 2 * r3 + r4);
    }
    CAPTURE(times[j]);
    CHECK(std::abs(adaptive.column("eg")[j] - eps(Q, R)) < 1e-9);
    CHECK(std::abs(adaptive.column("Q_0_1")[j] - Q(0, 1)) < 1e-9);
    CHECK(std::abs(adaptive.column("R_1_0")[j] - R(1, 0)) < 1e-9);
  }
}

TEST_CASE("erf noise floors from the teacher's solution (sigma = 0.1, eta = 0.5)") {
  Parameters p;
  p.sigma = 0.1;
  const State teacher{Eigen::MatrixXd::Identity(2, 2), Eigen::MatrixXd::Identity(2, 2), Eigen::MatrixXd::Identity(2, 2),
                      Eigen::VectorXd::Ones(2)};
  CHECK(integrate(p, teacher, {1000}).column("eg")[0] == doctest::Approx(1.1678e-3).epsilon(1e-4));
  p.eta_v = 0.5;
  CHECK(integrate(p, teacher, {1000}).column("eg")[0] == doctest::Approx(1.0440e-3).epsilon(1e-4));
}

TEST_CASE("columns are named eps_g, Q_i_k for i <= k, R_i_n, v_i and rows rebuild the state") {
  Parameters p;
  p.K = 3;
  CHECK(column_names(3, 2) == std::vector<std::string>{"eg", "Q_0_0", "Q_0_1", "Q_0_2", "Q_1_1", "Q_1_2", "Q_2_2",
                                                      "R_0_0", "R_0_1", "R_1_0", "R_1_1", "R_2_0", "R_2_1",
                                                      "v_0", "v_1", "v_2"});
  State s{Eigen::MatrixXd::Identity(3, 3) * 0.01, Eigen::MatrixXd::Zero(3, 2), Eigen::MatrixXd::Identity(2, 2),
          Eigen::VectorXd::Ones(3)};
  s.R(2, 1) = 0.005;
  // Observation times need not include 0: the integration still starts there.
  const Trajectory late = integrate(p, s, {2, 5});
  const Trajectory full = integrate(p, s, {0, 2, 5});
  CHECK(late.times == std::vector<double>{2, 5});
  CHECK(late.column("R_2_1")[1] == doctest::Approx(full.column("R_2_1")[2]).epsilon(1e-12));
  const State row = full.state(0);
  CHECK(row.Q == s.Q);
  CHECK(row.R == s.R);
  CHECK(row.v == s.v);
  CHECK(full.steps > 0);
  CHECK_THROWS_AS(full.column("Q_1_0"), std::out_of_range);
}

TEST_CASE("bad times, tolerances and initial states are rejected with the field named") {
  const State s = reference_start();
  CHECK_THROWS_WITH_AS(integrate(Parameters{}, s, {0, 2, 1}), doctest::Contains("times[2] = 1"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(integrate(Parameters{}, s, {-1, 2}), doctest::Contains("times[0] = -1"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(integrate(Parameters{}, s, {1}, Tolerances{0, 1e-12}), doctest::Contains("rtol = 0"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(integrate(Parameters{}, s, {1}, Tolerances{1e-8, -1}), doctest::Contains("atol = -1"), std::invalid_argument);
  State bad = s;
  bad.R(0, 0) = 2;
  CHECK_THROWS_WITH_AS(integrate(Parameters{}, bad, {1}), doctest::Contains("positive semi-definite"), std::invalid_argument);
  CHECK_THROWS_AS(log_spaced_times(0, 1, 10), std::invalid_argument);
  const std::vector<double> grid = log_spaced_times(0.01, 500, 1000);
  CHECK(grid.front() == 0.01);
  CHECK(grid.back() == 500);
  CHECK(grid.size() == 4700);  // ceil(1000 log10(5e4)) = 4699 intervals of at most 1/1000 decade
  CHECK(grid[1] / grid[0] <= std::pow(10.0, 1e-3));
}

TEST_CASE("a learning rate above the stable range is a Divergence naming the time, the quantity and the bound") {
  // erf, M = K = 2 from table A's start: eta = 2 converges (max Q_ii 1.12), eta = 10 grows the student
  // weights without bound (Q_ii ~ t^0.6); the bound is 100 x max(1, Q_ii(0), T_nn) = 100.
  const auto times = log_spaced_times(0.01, 100, 20);
  Parameters stable;
  stable.eta = 2;
  CHECK_NOTHROW(integrate(stable, reference_start(), times));
  Parameters erf = stable;
  erf.eta = 10;
  try {
    integrate(erf, reference_start(), times);
    FAIL("eta = 10 did not diverge");
  } catch (const Divergence& d) {
    CHECK((d.quantity == "Q_0_0" || d.quantity == "Q_1_1"));
    CHECK(d.value > 100);
    CHECK(d.bound == 100);
    CHECK(d.t > 1);
    CHECK(d.t < 100);
    CHECK(std::string(d.what()).find("t = ") != std::string::npos);
  }
  // The linear network beyond eta = 2 / sum_i v_i^2 = 1 blows up exponentially.
  Parameters linear = stable;
  linear.activation = Activation::linear;
  linear.eta = 3;
  CHECK_THROWS_WITH_AS(integrate(linear, reference_start(), times), doctest::Contains("Q_"), Divergence);
}
