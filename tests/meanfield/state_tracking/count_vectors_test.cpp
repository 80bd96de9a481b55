// docs/theory.md §4: the multinomial wrong-lag counts.
#include <doctest/doctest.h>

#include <numeric>

#include <cotdyn/meanfield/state_tracking/context_average.hpp>
#include <cotdyn/meanfield/state_tracking/count_vectors.hpp>
#include <cotdyn/meanfield/state_tracking/parameters.hpp>

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

TEST_CASE("merging the competitor labels by symmetry leaves every context average unchanged") {
  for (const ModelParameters p : {ModelParameters{}, ModelParameters{120, 6, 7, 1.0, 1.0, 0.1}}) {
    const CountVectors full = enumerate_count_vectors(p.K, p.L), merged = enumerate_count_classes(p.K, p.L);
    CHECK(merged.size() < full.size());
    CHECK(std::accumulate(merged.weights.begin(), merged.weights.end(), 0.0) == doctest::Approx(1.0).epsilon(1e-14));
    const auto q = derive(p, OrderParameters{0.9, 1.4, 0.6});
    const auto a = context_average(p, full, q), b = context_average(p, merged, q);
    CHECK(a.weighted_probability == doctest::Approx(b.weighted_probability).epsilon(1e-13));
    CHECK(a.image_probability == doctest::Approx(b.image_probability).epsilon(1e-13));
    CHECK(a.correct_probability == doctest::Approx(b.correct_probability).epsilon(1e-13));
    CHECK(population_loss(p, full, q) == doctest::Approx(population_loss(p, merged, q)).epsilon(1e-13));
  }
}
