#include <cotdyn/simulation/natbool/memory.hpp>

namespace cotdyn::simulation::natbool {

// The counts follow the code (float32 training): per regime, the weights with their gradient and
// Adam's two moments; the autograd graph of one step, per pass and block about 17 d + 3 H T floats per
// (member, input, position) (LayerNorms, q k v, scores and softmax, the 4d MLP before and after GELU,
// residuals), of which at most two regimes hold one at a time (two workers); the held-out token ids and
// gate values, and the evaluation's activations (no graph).
core::MemoryEstimate memory_estimate(const NatboolSettings& s) {
  const auto net = s.network();
  const double E = s.seeds, d = s.d, H = s.heads, L = s.layers, P = net.positions, B = s.batch;
  const double per_block = 12 * d * d + 13 * d;
  const double weights = E * (L * per_block + (net.vocabulary + P) * d + 2 * d + d * 2 + 2);
  const double regimes = double(regimes_run(s).size());
  const double T = P - 1;  // the longest sequence of any regime
  const double passes = s.gates();  // at most G passes in a step (explicit decoding, latent levels <= G)
  const double graph = passes * L * E * B * T * (17 * d + 3 * H * T) * 4;
  const double evaluation = E * s.n_test * T * (17 * d + 3 * H * T) * 4 + regimes * E * s.n_test * T * 8 * 3;
  return {{{"weights, gradients and Adam moments", regimes * 4 * weights * 4, "natbool.d or train.seeds"},
           {"autograd graph of a step", std::min(regimes, 2.0) * graph, "natbool.batch or natbool.d"},
           {"held-out set and evaluation", evaluation, "natbool.n_test"}}};
}

}  // namespace cotdyn::simulation::natbool
