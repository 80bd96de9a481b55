#pragma once
// The four regimes of docs/models/natbool.md §2 and §3.1 on the member-batched transformer: the training
// forward pass (teacher forcing, or the level-by-level latent recurrence), the loss, and the
// inference (argmax, greedy decoding, or the D latent passes).
#include <vector>

#include <torch/torch.h>

#include <cotdyn/simulation/natbool/generator.hpp>
#include <cotdyn/simulation/transformer/network.hpp>

namespace cotdyn::simulation::natbool {

// What a regime's forward pass gives, members first: [E, B, ...].
struct RegimeOutputs {
  torch::Tensor logits;         // [E, B, targets, 2] at the layout's target positions, in target order
  torch::Tensor latent_logits;  // [E, B, G - 1, 2]: W_out t_g + b_out of every latent (implicit, aligned)
};

// The training forward pass on token ids [E, B, layout.length] (generator.hpp's encoding):
//  * direct, explicit: one pass (explicit is teacher-forced on [x, SEP, c_1 ... c_{G-1}]);
//  * implicit, aligned: pass l = 1 ... D on the prompt, the latents of levels < l and LAT at the
//    positions of level l; the final-LayerNorm outputs there are the latents t_g of level l.
//    `stop_gradient`: t_g enters later passes as a constant (the aligned regime's rule); without it
//    the answer's gradient flows back through every latent into earlier passes (implicit).
// `levels[g - 1]` is the level of gate g (the same for every member: the layout depends on r and
// the shape only).
RegimeOutputs forward(transformer::TransformerImpl& network, const Layout& layout, const std::vector<int>& levels,
                      const torch::Tensor& tokens, bool stop_gradient);

// The regime's own stop-gradient rule: aligned yes, the others no.
bool stops_gradient(Regime regime);

// Per member, the mean cross-entropy over the batch and the targets (docs/models/natbool.md §3.1), [E].
torch::Tensor member_losses(const torch::Tensor& logits, const torch::Tensor& targets);

// Inference (§4) on token ids [E, N, layout.length] (only the prompt [x, SEP] is read):
// the predicted answer bit [E, N], and for the latent regimes argmax W_out t_g per latent [E, N, G-1].
struct Inference {
  torch::Tensor answer;
  torch::Tensor latent_bits;  // undefined for direct and explicit
};
Inference infer(transformer::TransformerImpl& network, const Layout& layout, const std::vector<int>& levels,
                const torch::Tensor& tokens);

// Token ids [E, B, L] and targets [E, B, targets] of a batch per member (row e from dags[e]).
struct MemberBatch {
  torch::Tensor tokens, targets;
  torch::Tensor gate_values;  // [E, B, G]: c_1 ... c_G of every input
};
MemberBatch encode_members(const std::vector<Dag>& dags, const Layout& layout,
                           const std::vector<std::vector<std::uint64_t>>& inputs);

// The level of every gate (1-based gate g at index g - 1).
std::vector<int> gate_levels(const Dag& dag);

}  // namespace cotdyn::simulation::natbool
