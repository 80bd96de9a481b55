#pragma once
// The Jensen gap of a window of snapshots (docs/models/entropy.md): per evaluation query, the mean over
// the snapshots of the entropy of the model's distribution q_t, minus the entropy of the mean
// distribution, E_t[H(q_t)] - H(E_t[q_t]) <= 0 (entropy is concave), averaged over the queries. Its
// size is the part of the entropy deficit that comes from the distribution moving between snapshots
// (optimiser fluctuation); a model that stands still has gap 0.
#include <cstdint>

#include <ATen/ATen.h>

namespace cotdyn::simulation::entropy {

class JensenGap {
 public:
  // One snapshot: logits [E, Q, n] of the same queries every time.
  void add(const at::Tensor& logits);
  int snapshots() const { return count_; }
  // The gap per seed [E] (float64); undefined before the first snapshot.
  at::Tensor gap() const;

  // The accumulated sums, for checkpoints.
  at::Tensor state() const;                // [E, Q*n + 1]: the summed q, then the summed mean entropy
  void set_state(const at::Tensor& state, int count, std::int64_t queries, std::int64_t n);

 private:
  at::Tensor sum_q_;        // [E, Q, n]
  at::Tensor sum_entropy_;  // [E]: the sum over snapshots of the query-mean H(q_t)
  int count_ = 0;
};

}  // namespace cotdyn::simulation::entropy
