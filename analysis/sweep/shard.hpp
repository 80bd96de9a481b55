#pragma once
// Splitting a sweep across machines: shard I of N runs the points whose index is I mod N.
#include <cstddef>
#include <map>
#include <optional>
#include <string>

namespace cotdyn::sweep {

struct Shard {
  std::size_t index = 0;  // in [0, count)
  std::size_t count = 1;
  bool contains(std::size_t point) const { return point % count == index; }
  bool whole() const { return count == 1; }
  std::string name() const;  // "shard-I-of-N"
};

// "I/N" with 0 <= I < N. Throws std::invalid_argument naming --shard.
Shard parse_shard(const std::string& text);

// Under a Slurm job array: I = SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN, N = SLURM_ARRAY_TASK_COUNT.
// Nothing when SLURM_ARRAY_TASK_COUNT is not set. `environment` maps variable names to values.
std::optional<Shard> shard_from_slurm(const std::map<std::string, std::string>& environment);
std::optional<Shard> shard_from_slurm_environment();  // reads the process environment

}  // namespace cotdyn::sweep
