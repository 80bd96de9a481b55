#pragma once
// The per-seed data streams of a system batched over seeds: one SequenceSampler per seed, a
// training batch drawn seed by seed as tensors [E, B, ...], and the generator states in
// checkpoints. Shared by the solvable model's system and the general model's.
#include <cstdint>
#include <string>
#include <vector>

#include <ATen/ATen.h>

#include <cotdyn/simulation/state_tracking/permutation_task.hpp>
#include <cotdyn/simulation/state_tracking/sequence_sampler.hpp>

namespace cotdyn::simulation {

class SeedStreams {
 public:
  // Seeds base_seed, base_seed + 1, ..., base_seed + seeds - 1; label_noise is eps of docs/theory.md §16.
  SeedStreams(const task::PermutationTask& task, int L, std::uint64_t base_seed, int seeds, double label_noise);

  struct Batch {
    at::Tensor actions;  // [E, B, L] int64
    at::Tensor states;   // [E, B, L+1] int64
    at::Tensor targets;  // [E, B, L] int64: the training targets, states[:, :, 1:] unless label noise replaced them
  };
  // B fresh sequences per seed, each from its own seed's stream, on `device`. On the CPU the tensors are
  // the streams' own and the next call refills them: use a batch before asking for the next.
  Batch next(int B, const at::Device& device);

  // DIR/samplers.txt: one generator state per line, in seed order.
  void save(const std::string& directory) const;
  void load(const std::string& directory);

 private:
  int L_;
  std::vector<SequenceSampler> samplers_;
  SequenceBatch scratch_;  // reused host buffers
  Batch batch_;            // on the CPU: the tensors next() refills
};

}  // namespace cotdyn::simulation
