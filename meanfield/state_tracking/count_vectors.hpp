#pragma once
// The wrong-lag action counts of docs/theory.md §4: c = (c_1..c_K), sum c_b = L - 1, multinomial weight
// rho(c) = (L-1)! / prod c_b! * K^-(L-1). Label 1 is the action the query needs.
#include <vector>

namespace cotdyn::meanfield {

struct CountVectors {
  int K = 0;
  int L = 0;
  std::vector<int> counts;       // row-major: counts[i * K + b] = c_b of vector i (b = 0 is label 1)
  std::vector<double> weights;   // rho(c_i); they sum to 1

  int size() const { return static_cast<int>(weights.size()); }
  const int* row(int i) const { return counts.data() + static_cast<std::size_t>(i) * K; }
};

// Enumerates all C(L+K-2, K-1) vectors once per (K, L).
CountVectors enumerate_count_vectors(int K, int L);

// The same law with the competitor labels 2..K merged by symmetry: one vector per c_1 and sorted tail
// (c_2 >= ... >= c_K), its weight multiplied by the number of distinct orderings of the tail. Exact for
// any average that is symmetric in the competitors (E1..E4 and the loss): about (K-1)! times fewer terms.
CountVectors enumerate_count_classes(int K, int L);

}  // namespace cotdyn::meanfield
