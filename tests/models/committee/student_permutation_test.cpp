// R and Q up to a permutation of the student units (docs/models/committee.md §8.7): the permutation
// on constructed overlaps whose answer is known (all K! for K <= 8, greedy beyond), the aligned
// columns, and compare's table and report of the permuted seeds.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <cotdyn/models/committee/student_permutation.hpp>

using namespace cotdyn;
using models::committee::add_student_permutations;
using models::committee::aligned_columns;
using models::committee::aligning_permutation;

namespace {
// The K x M matrix whose row i is the ODE's row i (a distinct pattern per row), and the measured one
// that holds the ODE's row i in row pi[i], plus a small perturbation.
Eigen::MatrixXd ode_R(int K, int M) {
  Eigen::MatrixXd R(K, M);
  for (int i = 0; i < K; ++i)
    for (int n = 0; n < M; ++n) R(i, n) = (i % M == n ? 1.0 : 0.0) + 0.1 * i + 0.01 * n;
  return R;
}
Eigen::MatrixXd measured_R(const Eigen::MatrixXd& ode, const std::vector<int>& pi) {
  Eigen::MatrixXd R(ode.rows(), ode.cols());
  for (int i = 0; i < ode.rows(); ++i)
    for (int n = 0; n < ode.cols(); ++n) R(pi[i], n) = ode(i, n) + 0.003 * ((i + n) % 3 - 1);
  return R;
}
}  // namespace

TEST_CASE("the aligning permutation recovers a known permutation of the student units") {
  const auto ode = ode_R(2, 2);
  CHECK(aligning_permutation(measured_R(ode, {0, 1}), ode) == std::vector<int>{0, 1});
  CHECK(aligning_permutation(measured_R(ode, {1, 0}), ode) == std::vector<int>{1, 0});
  const auto ode4 = ode_R(4, 2);  // K > M: surplus units, still distinct rows
  CHECK(aligning_permutation(measured_R(ode4, {2, 0, 3, 1}), ode4) == std::vector<int>{2, 0, 3, 1});
}

TEST_CASE("on a tie the identity is kept") {
  Eigen::MatrixXd same = Eigen::MatrixXd::Constant(3, 2, 0.5);
  CHECK(aligning_permutation(same, same) == std::vector<int>{0, 1, 2});
}

TEST_CASE("beyond 8 units the greedy rule recovers a known permutation of well-separated rows") {
  const int K = 10, M = 10;
  const auto ode = ode_R(K, M);
  const std::vector<int> pi = {3, 7, 0, 9, 1, 5, 2, 8, 6, 4};
  CHECK(aligning_permutation(measured_R(ode, pi), ode) == pi);
}

TEST_CASE("the aligning permutation refuses matrices of different shapes") {
  CHECK_THROWS_AS(aligning_permutation(Eigen::MatrixXd::Zero(2, 2), Eigen::MatrixXd::Zero(3, 2)), std::invalid_argument);
}

TEST_CASE("the aligned columns permute rows of R, rows and columns of Q and entries of v") {
  // K = 3, M = 1, one row; Q_i_k = 10 i + k (i <= k), R_i_0 = i, v_i = 100 + i.
  models::Trajectory seed;
  seed.columns = {"t", "Q_0_0", "Q_0_1", "Q_0_2", "Q_1_1", "Q_1_2", "Q_2_2", "R_0_0", "R_1_0", "R_2_0", "v_0", "v_1", "v_2", "eg"};
  seed.rows = {{5, 0, 1, 2, 11, 12, 22, 0, 1, 2, 100, 101, 102, 0.5}};
  const auto aligned = aligned_columns(seed, {2, 0, 1}, 3, 1);
  auto at = [&](const std::string& name) { return aligned.column(name).at(0); };
  CHECK(aligned.columns.front() == "t");
  CHECK(at("t") == 5);
  CHECK(at("R_0_0_aligned") == 2);
  CHECK(at("R_1_0_aligned") == 0);
  CHECK(at("R_2_0_aligned") == 1);
  CHECK(at("Q_0_0_aligned") == 22);  // Q_22
  CHECK(at("Q_0_1_aligned") == 2);   // Q_20 = Q_02
  CHECK(at("Q_0_2_aligned") == 12);  // Q_21 = Q_12
  CHECK(at("Q_1_2_aligned") == 1);   // Q_01
  CHECK(at("Q_2_2_aligned") == 11);
  CHECK(at("v_0_aligned") == 102);
  CHECK(!aligned.has_column("eg_aligned"));
  CHECK_THROWS_AS(aligned_columns(seed, {0, 1}, 3, 1), std::invalid_argument);
}

TEST_CASE("compare's table of permutations and the report name the seeds that were permuted") {
  models::ComparisonAdditions added;
  add_student_permutations({{100, 0, {0, 1}}, {100, 1, {1, 0}}, {200, 0, {0, 1}}}, added);
  REQUIRE(added.tables.size() == 1);
  CHECK(added.tables[0].table.str() == "N,seed,student_0,student_1\n100,0,0,1\n100,1,1,0\n200,0,0,1\n");
  CHECK(added.results["student_permutations"]["100"]["permuted_seeds"] == nlohmann::json::array({1}));
  CHECK(added.results["student_permutations"]["200"]["permuted_seeds"] == nlohmann::json::array());
  CHECK(added.report.find("| 100 | 1 of 2: seed 1: (1, 0) |") != std::string::npos);
  CHECK(added.report.find("| 200 | none of 1 |") != std::string::npos);
}
