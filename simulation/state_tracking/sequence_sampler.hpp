#pragma once
// Samples sequences of docs/theory.md §1 from one seed's own random stream. Torch-free.
// Per sequence the draws are a_1..a_L (uniform on [K]) then s_0 (uniform on [n]), in that order,
// so a seed trained alone or inside a batch of seeds sees the same data. With label noise eps > 0
// (docs/theory.md §16) each of the L queries then draws, in order, u uniform on [0, 1) and, when
// u < eps, its training target uniform on [n]; at eps = 0 nothing more is drawn.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <cotdyn/simulation/state_tracking/permutation_task.hpp>

namespace cotdyn::simulation {

struct SequenceBatch {
  int count = 0;                     // number of sequences
  int L = 0;
  std::vector<std::int64_t> actions; // count x L, row-major: actions[b*L + j-1] = a_j
  std::vector<std::int64_t> states;  // count x (L+1): states[b*(L+1) + t] = s_t
  std::vector<std::int64_t> targets; // count x L: targets[b*L + t-1] = the training target of query t,
                                     // s_t unless label noise replaced it
};

class SequenceSampler {
 public:
  // label_noise: the probability eps that a query's training target is replaced by a uniform state.
  SequenceSampler(const task::PermutationTask& task, int L, std::uint64_t seed, double label_noise = 0.0);

  // Appends `count` fresh sequences to `batch` (which must have this sampler's L or be empty).
  void sample_into(SequenceBatch& batch, int count);
  SequenceBatch sample(int count);

  // The generator state as text, for checkpoints; restore() continues the identical stream.
  std::string state() const;
  void restore(const std::string& state);

 private:
  // Uniform on [size], exact by rejection sampling: draws at or above limit (the largest multiple of size
  // the engine reaches) are redrawn.
  struct Range {
    std::uint64_t size, limit;
    explicit Range(std::int64_t size);
  };
  std::int64_t uniform(const Range& range);
  double unit();  // uniform on [0, 1), 53 random bits

  const task::PermutationTask* task_;
  int L_;
  double label_noise_;
  std::mt19937_64 engine_;
  Range actions_, states_;  // [K] and [n]
};

}  // namespace cotdyn::simulation
