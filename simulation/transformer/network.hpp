#pragma once
// The small decoder-only transformer of docs/models/transformer.md, with E ensemble members as one
// batched model: every parameter has a leading member dimension and every product is a bmm, so one
// backward pass on the sum of the members' losses trains them exactly as independent networks.
//   h_0 = input vectors (token + position rows, or any vectors a task feeds, e.g. latents + position)
//   block l: h += W_o Attn(LN1(h)) + b_o;  h += W_2 GELU(W_1 LN2(h) + c_1) + c_2   (pre-LayerNorm)
//   out = LN_f(h);  logits = out W_out + b_out, or out . token table^T when the unembedding is tied.
// Attention is causal (a position sees itself and earlier ones), heads are contiguous slices of width
// d / H, scores q.k / sqrt(d / H); LayerNorm eps 1e-5 with biased variance; GELU exact (erf).
#include <cstdint>
#include <vector>

#include <torch/torch.h>

#include <cotdyn/simulation/transformer/settings.hpp>

namespace cotdyn::simulation::transformer {

struct BlockParameters {
  torch::Tensor ln1_gain, ln1_bias;  // [E, d]
  torch::Tensor w_qkv, b_qkv;        // [E, d, 3d], [E, 3d]
  torch::Tensor w_o, b_o;            // [E, d, d], [E, d]
  torch::Tensor ln2_gain, ln2_bias;  // [E, d]
  torch::Tensor w_1, c_1;            // [E, d, m d], [E, m d]
  torch::Tensor w_2, c_2;            // [E, m d, d], [E, d]
};

class TransformerImpl : public torch::nn::Module {
 public:
  // Member e is initialised from its own generator at::make_generator<CPUGeneratorImpl>(seeds[e]),
  // so a member's initial weights do not depend on the other members. dtype float32 or float64.
  TransformerImpl(const TransformerSettings& settings, const std::vector<std::uint64_t>& seeds,
                  torch::Dtype dtype = torch::kFloat32);

  const TransformerSettings& settings() const { return settings_; }

  // tokens [E, B, T] (int64) -> token rows + position rows first_position ... first_position + T - 1.
  torch::Tensor embed(const torch::Tensor& tokens, std::int64_t first_position = 0) const;
  // Token rows only, [E, B, T, d].
  torch::Tensor token_rows(const torch::Tensor& tokens) const;
  // Position row p of every member, [E, 1, d] (broadcasts over the batch).
  torch::Tensor position_row(std::int64_t p) const;
  // inputs [E, B, T, d] -> final-LayerNorm outputs [E, B, T, d] (after gain and bias).
  torch::Tensor forward(const torch::Tensor& inputs);
  // The residual stream after each block, before the final LayerNorm: [h_0 = inputs, h_1, ..., h_L]
  // (a logit lens reads block l through LN_f and head()). When `attention` is not null it receives, per
  // block l = 1 ... L, the attention branch's output a_l = W_o Attn(LN1(h_{l-1})) + b_o [E, B, T, d],
  // the term the block adds to h_{l-1} before its MLP (the bypass probe's numerator, bypass_probe.hpp).
  std::vector<torch::Tensor> residuals(const torch::Tensor& inputs, std::vector<torch::Tensor>* attention = nullptr) const;
  // Final-LayerNorm outputs [E, B, ..., d] -> logits [E, B, ..., outputs (or vocabulary when tied)].
  torch::Tensor head(const torch::Tensor& outputs) const;

  // "" when every parameter of member e is finite, else the first non-finite parameter's name.
  std::string nonfinite_parameter(int e) const;

  torch::Tensor token_table, position_table;  // [E, V, d], [E, P, d]
  std::vector<BlockParameters> blocks;
  torch::Tensor lnf_gain, lnf_bias;  // [E, d]
  torch::Tensor w_out, b_out;        // [E, d, outputs], [E, outputs]; undefined when tied

 private:
  // h + attention, then + MLP: the one place the block is written. `attention` (when not null) receives
  // the attention branch's output a_l; capturing it changes no number.
  torch::Tensor block(const torch::Tensor& residual, std::size_t l, torch::Tensor* attention = nullptr) const;
  TransformerSettings settings_;
};
TORCH_MODULE(Transformer);

// LayerNorm over the last dimension with a per-member gain and bias [E, d]; x is [E, ..., d].
torch::Tensor member_layer_norm(const torch::Tensor& x, const torch::Tensor& gain, const torch::Tensor& bias);
// x [E, ..., k] times weight [E, k, n] plus bias [E, n] (undefined: none) -> [E, ..., n].
torch::Tensor member_linear(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias);

}  // namespace cotdyn::simulation::transformer
