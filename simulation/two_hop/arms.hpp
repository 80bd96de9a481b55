#pragma once
// The two arms on the shared transformer (docs/models/two_hop.md §7-8): the next-token loss of a
// member-batched batch of rows, greedy decoding of the probe sets (atomic: t̂ at position 1 of `h r`;
// no-CoT: t̂ at 2 of `h r1 r2`; CoT: b̂ at 2, then t̂ at 3 of `h r1 r2 b̂`), the logit lens (the
// residual stream after each block through LN_f and the tied unembedding; the rank of the right
// entity among the entity logits) and, on the same items, the per-block attention bypass.
#include <cstddef>
#include <vector>

#include <torch/torch.h>

#include <cotdyn/simulation/transformer/network.hpp>
#include <cotdyn/simulation/two_hop/task_data.hpp>

namespace cotdyn::simulation::two_hop {

// Rows of every member as one batch: tokens and targets [E, B, length], padding token 0 and target
// kIgnoreTarget after a shorter row. indices[e] are member e's row indices.
struct MemberBatch {
  torch::Tensor tokens, targets;
};
MemberBatch encode_members(const std::vector<Row>& rows, const std::vector<std::vector<std::size_t>>& indices,
                           int length);

// Per member, the cross-entropy averaged over that member's targets (logits over the whole vocabulary).
torch::Tensor member_losses(transformer::TransformerImpl& network, const MemberBatch& batch);

// Greedy accuracy of every member on one probe set (docs/models/two_hop.md §4): [E] fractions right.
// For a two-hop set under CoT, `bridge` (when not null) receives the fraction whose b̂ is right.
std::vector<double> probe_accuracy(transformer::TransformerImpl& network, const Vocabulary& vocab,
                                   const ProbeSet& probe, Arm arm, std::vector<double>* bridge = nullptr);

// The logit lens on two-hop items, per member and block l = 0 ... L (0 = embeddings): the mean
// reciprocal rank of b among the entity logits at position 1 (r1) and at 2 (r2) of `h r1 r2`, and
// under CoT of t at position 3 of `h r1 r2 b` with the true b (empty for no-CoT).
struct LogitLens {
  std::vector<std::vector<double>> bridge_at_r1, bridge_at_r2, answer_at_b;  // [E][L + 1]
};
LogitLens logit_lens(transformer::TransformerImpl& network, const Vocabulary& vocab, const std::vector<TwoHop>& items,
                     Arm arm);

// The per-block attention bypass (transformer/bypass_probe.hpp) on two-hop items, per member and block
// l = 1 ... L, at the positions where the arm emits an entity (settings.hpp, bypass_positions): the mean
// over the items of ||a_l|| / ||h_{l-1}|| at position 2 (r2) of `h r1 r2`, and under CoT at position 3
// of `h r1 r2 b` with the true b, as the logit lens (empty for no-CoT).
struct BlockBypass {
  std::vector<std::vector<double>> at_r2, at_b;  // [E][L], block l at index l - 1
};
BlockBypass block_bypass(const transformer::TransformerImpl& network, const Vocabulary& vocab,
                         const std::vector<TwoHop>& items, Arm arm);

}  // namespace cotdyn::simulation::two_hop
