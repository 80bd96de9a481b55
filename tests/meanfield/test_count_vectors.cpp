// SPEC section 4: the multinomial wrong-lag counts.
#include <doctest/doctest.h>

#include <numeric>

#include "count_vectors.hpp"
#include "parameters.hpp"

using namespace cotdyn::meanfield;

TEST_CASE("the defaults have C(L+K-2, K-1) = 165 count vectors whose weights sum to 1") {
  const CountVectors c = enumerate_count_vectors(4, 9);
  CHECK(c.size() == 165);
  CHECK(count_vector_number(4, 9) == 165);
  CHECK(std::accumulate(c.weights.begin(), c.weights.end(), 0.0) == doctest::Approx(1.0).epsilon(1e-14));
}

TEST_CASE("every count vector sums to L-1 and the mean count of each label is (L-1)/K") {
  const int K = 5, L = 7;
  const CountVectors c = enumerate_count_vectors(K, L);
  CHECK(c.size() == count_vector_number(K, L));
  std::vector<double> mean(K, 0.0);
  for (int i = 0; i < c.size(); ++i) {
    int total = 0;
    for (int b = 0; b < K; ++b) {
      total += c.row(i)[b];
      mean[b] += c.weights[i] * c.row(i)[b];
    }
    CHECK(total == L - 1);
  }
  for (double m : mean) CHECK(m == doctest::Approx(double(L - 1) / K).epsilon(1e-13));
}
