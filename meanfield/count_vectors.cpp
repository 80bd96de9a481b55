#include "count_vectors.hpp"

#include <cmath>

namespace cotdyn::meanfield {

namespace {
// Depth-first enumeration of compositions of `remaining` into the labels b..K-1.
void enumerate(int b, int remaining, std::vector<int>& current, CountVectors& out, double log_coefficient,
               double log_prefactor) {
  const int K = out.K;
  if (b == K - 1) {
    current[b] = remaining;
    out.counts.insert(out.counts.end(), current.begin(), current.end());
    out.weights.push_back(std::exp(log_prefactor + log_coefficient - std::lgamma(remaining + 1.0)));
    return;
  }
  for (int c = 0; c <= remaining; ++c) {
    current[b] = c;
    enumerate(b + 1, remaining - c, current, out, log_coefficient - std::lgamma(c + 1.0), log_prefactor);
  }
}
}  // namespace

CountVectors enumerate_count_vectors(int K, int L) {
  CountVectors out;
  out.K = K;
  out.L = L;
  std::vector<int> current(K, 0);
  // log[(L-1)! K^-(L-1)]: the multinomial coefficient's numerator and the uniform action law.
  const double log_prefactor = std::lgamma(static_cast<double>(L)) - (L - 1) * std::log(static_cast<double>(K));
  enumerate(0, L - 1, current, out, 0.0, log_prefactor);
  return out;
}

}  // namespace cotdyn::meanfield
