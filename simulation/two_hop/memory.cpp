#include <cotdyn/simulation/two_hop/memory.hpp>

#include <algorithm>

namespace cotdyn::simulation::two_hop {

// The counts follow the code (float32): per arm, the weights with their gradient and AdamW's two
// moments; the autograd graph of one update, per block about 17 d + 3 H T floats per (member, row,
// position), both arms at once (two workers); the evaluation's activations for a chunk of 4096 items
// (no graph: about 6 d + 3 H T floats per position live at once) and its logits; and the task data, every two-hop of the graph enumerated (about 40 bytes
// each) plus both arms' rows. A dataset directory's size is not known before it is read: the generated
// graph's parameters stand in for it.
core::MemoryEstimate memory_estimate(const TwoHopSettings& s) {
  const double E = s.seeds, d = s.width, H = s.heads, L = s.layers, B = s.batch, T = 4;
  const double V = s.task.num_entities + s.task.num_relations + 1;
  const double weights = E * (L * (12 * d * d + 13 * d) + (V + T) * d + 2 * d);
  const double graph = E * B * T * L * (17 * d + 3 * H * T) * 4 + E * B * T * V * 4 * 3;
  const double chunk = 4096;
  const double evaluation = E * chunk * T * (6 * d + 3 * H * T) * 4 + E * chunk * V * 4 * 2;
  const double facts = double(s.task.num_entities) * s.task.out_degree;
  const double two_hops = facts * s.task.out_degree;
  const double data = two_hops * 40 + 2 * (facts + std::min(two_hops, s.task.lambda * facts)) * 120;
  return {{{"weights, gradients and AdamW moments", 2 * 4 * weights * 4, "two_hop.width or train.seeds"},
           {"autograd graph of an update", 2 * graph, "two_hop.batch or two_hop.width"},
           {"evaluation", 2 * evaluation, "two_hop.width or train.seeds"},
           {"task data", data, "two_hop.entities or two_hop.out_degree"}}};
}

}  // namespace cotdyn::simulation::two_hop
