#include <cotdyn/simulation/tree/memory.hpp>

namespace cotdyn::simulation::tree {

// The counts follow the code (float64 throughout): both storages allocate the six d x d blocks of every
// head (network.cpp); the tensor storage keeps them with their gradients and the step's temporaries,
// the coefficient storage keeps N x N tables instead. The embeddings come with their Gram matrix and
// the d x d sum of outer products. The evaluation runs sample by sample on the tables (measure.cpp),
// so only its samples are held.
core::MemoryEstimate memory_estimate(const TreeSettings& s) {
  const double E = s.seeds, H = s.H, d = s.d, N = s.N;
  const double blocks = 6 * E * H * d * d * 8;
  const TreeTask task = s.tree_task();
  core::MemoryEstimate estimate;
  // The coefficient storage's blocks are zeros that no one touches unless tree.init_scale > 0.
  const double copies = s.storage == Storage::tensor ? 4 : s.init_scale > 0 ? 2 : 0;
  if (copies > 0) estimate.parts.push_back({"blocks W (6 d x d per head)", blocks * copies, "train.seeds or tree.d"});
  if (s.storage == Storage::coefficients)
    estimate.parts.push_back({"coefficient tables C", 3 * 6 * E * H * N * N * 8, "train.seeds or tree.N"});
  estimate.parts.push_back({"embeddings", E * (N * d + N * N + d * d) * 8, "train.seeds or tree.d"});
  estimate.parts.push_back({"evaluation trees", static_cast<double>(s.eval_size) * task.tokens() * 64, "tree.eval_size"});
  return estimate;
}

}  // namespace cotdyn::simulation::tree
