#include <cotdyn/simulation/committee/memory.hpp>

namespace cotdyn::simulation::committee {

// The counts follow the code (float64 throughout): teacher and student weights [seeds, M + K, N] with
// the step's temporaries of the same size, the test inputs [P, N] shared by all seeds, and the
// pre-activations and outputs of the test set per seed [seeds, P, M + K] with their temporaries.
core::MemoryEstimate memory_estimate(const CommitteeSettings& s) {
  const double E = s.seeds, N = s.N, units = s.M + s.K, P = s.test_size;
  return {{{"teacher and student weights", 3 * E * units * N * 8, "train.seeds or committee.N"},
           {"test inputs", P * N * 8, "committee.test_size or committee.N"},
           {"test-set activations", 4 * E * P * units * 8, "committee.test_size or train.seeds"}}};
}

}  // namespace cotdyn::simulation::committee
