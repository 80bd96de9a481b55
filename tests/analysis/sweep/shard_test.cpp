// Shards: --shard I/N and the Slurm job-array variables.
#include <doctest/doctest.h>

#include <stdexcept>

#include <cotdyn/analysis/sweep/shard.hpp>

using namespace cotdyn::sweep;

TEST_CASE("--shard I/N selects every N-th point starting at I") {
  const Shard shard = parse_shard("1/3");
  CHECK(shard.index == 1);
  CHECK(shard.count == 3);
  CHECK(!shard.contains(0));
  CHECK(shard.contains(1));
  CHECK(shard.contains(4));
  CHECK(shard.name() == "shard-1-of-3");
}

TEST_CASE("shards out of range are refused") {
  for (const char* bad : {"3/3", "-1/3", "0/0", "1", "a/b", "1/2/3", ""}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(parse_shard(bad), std::invalid_argument);
  }
}

TEST_CASE("a Slurm job array gives I = task id - min and N = task count") {
  CHECK(!shard_from_slurm({}));
  const auto shard = shard_from_slurm(
      {{"SLURM_ARRAY_TASK_ID", "12"}, {"SLURM_ARRAY_TASK_MIN", "10"}, {"SLURM_ARRAY_TASK_COUNT", "4"}});
  REQUIRE(shard);
  CHECK(shard->index == 2);
  CHECK(shard->count == 4);
  CHECK_THROWS_AS(shard_from_slurm({{"SLURM_ARRAY_TASK_ID", "14"}, {"SLURM_ARRAY_TASK_MIN", "10"},
                                    {"SLURM_ARRAY_TASK_COUNT", "4"}}),
                  std::invalid_argument);
}
