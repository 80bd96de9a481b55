#include <cotdyn/simulation/committee/memory.hpp>

namespace cotdyn::simulation::committee {

// The counts follow the code: teacher and student weights [seeds, M + K, N] with the step's
// temporaries of the same size, the test inputs [P, N] shared by all seeds, and the pre-activations
// and outputs of the test set per seed [seeds, P, M + K] with their temporaries, in the run's
// precision (committee.dtype); the step's inputs [seeds, B, N] as drawn (double) and converted.
core::MemoryEstimate memory_estimate(const CommitteeSettings& s) {
  const double E = s.seeds, N = s.N, units = s.M + s.K, P = s.test_size, B = s.batch;
  const double bytes = s.dtype == Precision::float32 ? 4 : 8;
  return {{{"teacher and student weights", 3 * E * units * N * bytes, "train.seeds or committee.N"},
           {"test inputs", P * N * bytes, "committee.test_size or committee.N"},
           {"test-set activations", 4 * E * P * units * bytes, "committee.test_size or train.seeds"},
           {"step inputs", E * B * N * (8 + bytes), "committee.batch or train.seeds"}}};
}

}  // namespace cotdyn::simulation::committee
