#pragma once
// What theory predicts for the Boolean-DAG experiment without training (docs/models/natbool.md §3.4):
// per regime the sequential steps per answer, the interaction order of its hardest supervised target
// and the one-layer signal law for that order (docs/theory.md §8: the exact Rademacher Delta_r for a GELU
// read-out at b = 0, v = 1 and T = m + 1 tokens). The law is a one-layer model of the same decay: its
// numbers are not the transformer's (docs/models/natbool.md §6 says where it carries over). Torch-free.
#include <vector>

#include <cotdyn/simulation/natbool/generator.hpp>

namespace cotdyn::meanfield::natbool {

using simulation::natbool::Regime;
using simulation::natbool::Shape;

struct RegimePrediction {
  Regime regime = Regime::direct;
  int r = 2, G = 1, D = 1;
  int sequential_steps = 1;  // direct 1, explicit G, implicit and aligned D
  int order = 2;             // the order of its hardest supervised target: r (direct, implicit), 2 (explicit, aligned)
  double law = 0;            // |Delta_order| of the one-layer law at T = m + 1
};

// Depth D = ceil(log2 r) (balanced) or r - 1 (chain), from the generator's gate layout.
int depth(int m, int r, Shape shape);

// |Delta_order| for a GELU read-out, b = 0, v = 1, Rademacher tokens, T tokens (exact).
double one_layer_law(int order, int T);

RegimePrediction predict(int m, int r, Shape shape, Regime regime);

}  // namespace cotdyn::meanfield::natbool
