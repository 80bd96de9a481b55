#include <cotdyn/models/committee/student_permutation.hpp>

#include <algorithm>
#include <limits>
#include <map>
#include <numeric>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace cotdyn::models::committee {

namespace {

// sum_n (measured_R(j, n) - ode_R(i, n))^2: the cost of putting measured unit j in place i.
double row_cost(const Eigen::MatrixXd& measured_R, const Eigen::MatrixXd& ode_R, Eigen::Index i, Eigen::Index j) {
  return (measured_R.row(j) - ode_R.row(i)).squaredNorm();
}

std::size_t index_of(const Trajectory& t, const std::string& name) {
  const auto it = std::find(t.columns.begin(), t.columns.end(), name);
  if (it == t.columns.end()) throw std::out_of_range("the measurements have no column '" + name + "'");
  return static_cast<std::size_t>(it - t.columns.begin());
}

}  // namespace

std::vector<int> aligning_permutation(const Eigen::MatrixXd& measured_R, const Eigen::MatrixXd& ode_R) {
  if (measured_R.rows() != ode_R.rows() || measured_R.cols() != ode_R.cols())
    throw std::invalid_argument(fmt::format("aligning_permutation: measured R is {} x {} but the ODE's is {} x {}",
                                            measured_R.rows(), measured_R.cols(), ode_R.rows(), ode_R.cols()));
  const int K = static_cast<int>(ode_R.rows());
  std::vector<int> pi(K);
  std::iota(pi.begin(), pi.end(), 0);
  if (K <= brute_force_units) {
    std::vector<int> best = pi;
    double best_cost = std::numeric_limits<double>::infinity();
    do {
      double cost = 0;
      for (int i = 0; i < K; ++i) cost += row_cost(measured_R, ode_R, i, pi[i]);
      if (cost < best_cost) {
        best_cost = cost;
        best = pi;
      }
    } while (std::next_permutation(pi.begin(), pi.end()));
    return best;
  }
  std::vector<bool> placed(K, false), used(K, false);
  for (int step = 0; step < K; ++step) {
    int best_i = -1, best_j = -1;
    double best_cost = std::numeric_limits<double>::infinity();
    for (int i = 0; i < K; ++i)
      for (int j = 0; j < K; ++j)
        if (!placed[i] && !used[j] && (best_i < 0 || row_cost(measured_R, ode_R, i, j) < best_cost)) {
          best_cost = row_cost(measured_R, ode_R, i, j);
          best_i = i;
          best_j = j;
        }
    pi[best_i] = best_j;
    placed[best_i] = used[best_j] = true;
  }
  return pi;
}

std::string aligned_name(const std::string& column) { return column + "_aligned"; }

Trajectory aligned_columns(const Trajectory& seed, const std::vector<int>& pi, int K, int M) {
  if (static_cast<int>(pi.size()) != K)
    throw std::invalid_argument(fmt::format("aligned_columns: a permutation of {} units for K = {}", pi.size(), K));
  Trajectory out;
  out.columns = {"t"};
  std::vector<std::size_t> source = {index_of(seed, "t")};
  auto q_name = [](int i, int k) { return fmt::format("Q_{}_{}", std::min(i, k), std::max(i, k)); };
  for (int i = 0; i < K; ++i)
    for (int n = 0; n < M; ++n) {
      out.columns.push_back(aligned_name(fmt::format("R_{}_{}", i, n)));
      source.push_back(index_of(seed, fmt::format("R_{}_{}", pi[i], n)));
    }
  for (int i = 0; i < K; ++i)
    for (int k = i; k < K; ++k) {
      out.columns.push_back(aligned_name(q_name(i, k)));
      source.push_back(index_of(seed, q_name(pi[i], pi[k])));
    }
  for (int i = 0; i < K; ++i) {
    out.columns.push_back(aligned_name(fmt::format("v_{}", i)));
    source.push_back(index_of(seed, fmt::format("v_{}", pi[i])));
  }
  for (const auto& row : seed.rows) {
    std::vector<double> values;
    for (std::size_t c : source) values.push_back(row.at(c));
    out.rows.push_back(std::move(values));
  }
  return out;
}

void add_student_permutations(const std::vector<SeedPermutation>& rows, ComparisonAdditions& added) {
  if (rows.empty()) return;
  const int K = static_cast<int>(rows.front().pi.size());
  std::vector<std::string> columns = {"N", "seed"};
  for (int i = 0; i < K; ++i) columns.push_back(fmt::format("student_{}", i));
  core::CsvTable table(columns);
  std::map<int, std::vector<std::string>> moved;  // N -> "seed s: (pi)" for the seeds not aligned as they are
  std::map<int, int> seeds;
  for (const auto& row : rows) {
    std::vector<double> values = {double(row.size), double(row.seed)};
    for (int unit : row.pi) values.push_back(unit);
    table.add_row(values);
    ++seeds[row.size];
    auto& json = added.results["student_permutations"][std::to_string(row.size)];
    if (!json.contains("permuted_seeds")) json["permuted_seeds"] = nlohmann::json::array();
    if (!std::is_sorted(row.pi.begin(), row.pi.end())) {
      moved[row.size].push_back(fmt::format("seed {}: ({})", row.seed, fmt::join(row.pi, ", ")));
      json["permuted_seeds"].push_back(row.seed);
    }
  }
  added.tables.push_back({"student_permutations.csv", table});
  added.report += fmt::format(
      "\n## R and Q up to a permutation of the student units (docs/models/committee.md §8.7)\n\n"
      "The student's hidden units are exchangeable. Per seed, the permutation π of its K student units that "
      "minimises Σ_in (R_π(i)n − R_in of the seed's own ODE)² at the last observation ({}) is applied to all "
      "its times (rows of R, rows and columns of Q, entries of v); the discrepancy tables above hold the "
      "result as R_i_n_aligned and Q_i_k_aligned beside R_i_n and Q_i_k (student_permutations.csv: π per seed).\n\n"
      "| N | seeds permuted (π(0), ..., π(K−1)) |\n|---|---|\n",
      K <= brute_force_units ? "all K! permutations" : "greedy, K > 8");
  for (const auto& [size, count] : seeds) {
    const auto it = moved.find(size);
    added.report += fmt::format("| {} | {} |\n", size,
                                it == moved.end() ? fmt::format("none of {}", count)
                                                  : fmt::format("{} of {}: {}", it->second.size(), count, fmt::join(it->second, "; ")));
  }
}

}  // namespace cotdyn::models::committee
