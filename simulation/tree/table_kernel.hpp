#pragma once
// The coefficient storage's forward pass, its closed-form gradient and its evaluation, sample by sample
// on one seed's logit tables (docs/models/tree.md §10.2): the same function as table_forward
// (network.hpp), written as plain loops because a step touches a few hundred table entries and the
// tensor version spends its time in operator overhead. Torch-free.
//
// Tables: M [H][6][N][N] row-major, block k of head h at M + (6h + k) N^2, with the block order of
// network.hpp (k = 2 tau + s for the query-key blocks, 4 + s for the output blocks).
#include <functional>
#include <memory>
#include <vector>

#include <cotdyn/simulation/seed_runner.hpp>  // SeedRunner, for_each_seed: the seeds on threads
#include <cotdyn/simulation/tree/task.hpp>

namespace cotdyn::simulation::tree {

struct TableView {
  const double* M = nullptr;
  int H = 0;
  int N = 0;
};

// M = G C G for `count` consecutive N x N tables C (the coefficient storage's logit tables,
// docs/models/tree.md §3.1), into M; G is N x N. Plain loops: a step needs it for every block of
// every seed, and the tables are too small for a BLAS call to pay off.
void gram_sandwich(const double* G, const double* C, int count, int N, double* M);

// The mean cross-entropy over the queries of `samples` (what loss_per_seed gives for one seed), and
// its gradient with respect to M treated as a free table, added into `gradient` (the layout of M):
// with delta_y = (p_y - [y = t]) / (B Q) for a query with target t,
//   dL/dM_O(h, s)[y, a]  += delta_y w^h_s[a],   w^h_s[a] = sum_{j: slot_s(j) = a} alpha^h_j,
//   dL/dM_QK(h, tau s)[x, slot_s(j)] += alpha^h_j (f_j - sum_k alpha^h_k f_k),
//   f_j = sum_{s: slot_s(j) != NONE} sum_y delta_y M_O(h, s)[y, slot_s(j)]
// (the closed form of docs/models/tree.md §4.2 before the projection onto class means).
double loss_and_gradient(const TableView& tables, const TreeTask& task, const std::vector<const Sample*>& samples,
                         double* gradient);

// Sums over evaluated samples of one seed (divide by the sample count for means).
struct EvaluationSums {
  double loss = 0;                 // sum over samples of the mean cross-entropy over the Q queries
  double correct = 0;              // sum over samples of the fraction of queries with argmax z = target
  std::vector<double> margins;     // [Q]: sum over samples of z_t - max_{y != t} z_y
  std::vector<double> mass_B;      // [H]: sum over samples of the mean over B queries of the mass on keys with X = x_q
  std::vector<double> mass_F;      // [H]: the same over F queries, keys with Y = x_q (forward task)
  double exact = 0;                // rollouts with all Q outputs right
  double forward_exact = 0;        // rollouts with the D F-stage outputs right (forward task)
};

// Teacher-forced loss, accuracy (argmax over the N symbols, ties to the lowest), margins and retrieval
// masses of each sample, and its rollout: the token after query q becomes (Y_{i_q}, prediction), flags
// kept. A sample whose teacher-forced predictions are all right rolls out to the same predictions, so
// only the others are rolled out. Adds into `sums` (sized by the first call).
void evaluate_samples(const TableView& tables, const TreeTask& task, const std::vector<Sample>& samples,
                      std::size_t first, std::size_t count, EvaluationSums& sums);

}  // namespace cotdyn::simulation::tree
