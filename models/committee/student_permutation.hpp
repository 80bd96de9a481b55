#pragma once
// R and Q compared up to a permutation of the student units (docs/models/committee.md §8.7): the
// student's hidden units are exchangeable, and a seed can specialise to another assignment of student
// to teacher units than its own ODE. Per seed, the permutation that best matches that seed's ODE at
// the last observation is applied to all its times before the seed mean is taken. Torch-free.
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Core>

#include <cotdyn/models/comparison.hpp>
#include <cotdyn/models/trajectory.hpp>

namespace cotdyn::models::committee {

// Up to this many student units the best permutation is found by trying all K! of them.
inline constexpr int brute_force_units = 8;

// The permutation pi of the K student units (pi[i]: the measured unit put in place i) that minimises
// sum_{i,n} (measured_R(pi[i], n) - ode_R(i, n))^2. K <= brute_force_units: all K! permutations, the
// first in lexicographic order on a tie (so the identity wins a tie). K > brute_force_units: greedy,
// repeatedly the unplaced pair (place i, unit j) with the smallest sum_n (measured_R(j, n) - ode_R(i, n))^2
// (ties to the smallest i, then j). std::invalid_argument when the shapes differ.
std::vector<int> aligning_permutation(const Eigen::MatrixXd& measured_R, const Eigen::MatrixXd& ode_R);

// The name of a column with the student units aligned: "<column>_aligned".
std::string aligned_name(const std::string& column);

// One seed's measurements with the student units in the order pi, at every row: R_i_n_aligned =
// R_{pi(i)}_n, Q_i_k_aligned = Q_{pi(i)}_{pi(k)} (i <= k, Q symmetric), v_i_aligned = v_{pi(i)};
// columns "t" first, then these.
Trajectory aligned_columns(const Trajectory& seed, const std::vector<int>& pi, int K, int M);

struct SeedPermutation {
  int size = 0;  // N
  std::uint64_t seed = 0;
  std::vector<int> pi;  // aligning_permutation at the last observation
};

// Adds student_permutations.csv (N, seed, student_0 .. student_{K-1}: the measured unit put in place i),
// the report's section (the rule, and per N the seeds whose permutation is not the identity) and
// results["student_permutations"][N] (the seeds not aligned as they are).
void add_student_permutations(const std::vector<SeedPermutation>& rows, ComparisonAdditions& added);

}  // namespace cotdyn::models::committee
