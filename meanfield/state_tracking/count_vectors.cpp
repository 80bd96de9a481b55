#include <cotdyn/meanfield/state_tracking/count_vectors.hpp>

#include <algorithm>
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

namespace {
// The last (K, L) enumerated on this thread and its vectors: a sweep whose K and L stay the same builds
// them once per thread instead of once per point (two objects per theory point). One entry, so the
// memory stays that of one enumeration.
template <CountVectors (*enumerate)(int, int)>
CountVectors remembered(int K, int L) {
  thread_local CountVectors last;
  thread_local bool filled = false;
  if (!filled || last.K != K || last.L != L) {
    last = enumerate(K, L);
    filled = true;
  }
  return last;
}

CountVectors all_count_vectors(int K, int L) {
  CountVectors out;
  out.K = K;
  out.L = L;
  std::vector<int> current(K, 0);
  // log[(L-1)! K^-(L-1)]: the multinomial coefficient's numerator and the uniform action law.
  const double log_prefactor = std::lgamma(static_cast<double>(L)) - (L - 1) * std::log(static_cast<double>(K));
  enumerate(0, L - 1, current, out, 0.0, log_prefactor);
  return out;
}
}  // namespace

CountVectors enumerate_count_vectors(int K, int L) { return remembered<all_count_vectors>(K, L); }

namespace {
// Non-increasing tails c_b <= bound for labels b..K-1 that sum to `remaining`.
void enumerate_tails(int b, int remaining, int bound, std::vector<int>& current, CountVectors& out,
                     double log_prefactor) {
  const int K = out.K;
  if (b == K - 1) {
    if (remaining > bound) return;
    current[b] = remaining;
    double log_weight = log_prefactor;
    for (int a = 0; a < K; ++a) log_weight -= std::lgamma(current[a] + 1.0);
    // Distinct orderings of the tail: (K-1)! / prod (multiplicity of each value)!.
    double log_orderings = std::lgamma(static_cast<double>(K));
    for (int a = 1; a < K;) {
      int run = 1;
      while (a + run < K && current[a + run] == current[a]) ++run;
      log_orderings -= std::lgamma(run + 1.0);
      a += run;
    }
    out.counts.insert(out.counts.end(), current.begin(), current.end());
    out.weights.push_back(std::exp(log_weight + log_orderings));
    return;
  }
  for (int c = std::min(bound, remaining); c >= 0; --c) {
    current[b] = c;
    enumerate_tails(b + 1, remaining - c, c, current, out, log_prefactor);
  }
}
}  // namespace

namespace {
CountVectors all_count_classes(int K, int L) {
  CountVectors out;
  out.K = K;
  out.L = L;
  std::vector<int> current(K, 0);
  const double log_prefactor = std::lgamma(static_cast<double>(L)) - (L - 1) * std::log(static_cast<double>(K));
  for (int first = 0; first <= L - 1; ++first) {
    current[0] = first;
    enumerate_tails(1, L - 1 - first, L - 1 - first, current, out, log_prefactor);
  }
  return out;
}
}  // namespace

CountVectors enumerate_count_classes(int K, int L) { return remembered<all_count_classes>(K, L); }

}  // namespace cotdyn::meanfield
