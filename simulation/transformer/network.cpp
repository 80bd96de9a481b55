#include <cotdyn/simulation/transformer/network.hpp>

#include <cmath>

#include <ATen/CPUGeneratorImpl.h>
#include <fmt/format.h>

namespace cotdyn::simulation::transformer {

torch::Tensor member_layer_norm(const torch::Tensor& x, const torch::Tensor& gain, const torch::Tensor& bias) {
  const auto d = x.size(-1);
  const torch::Tensor normalised = torch::layer_norm(x, {d}, {}, {}, 1e-5);
  std::vector<std::int64_t> shape(x.dim(), 1);
  shape.front() = x.size(0);
  shape.back() = d;
  return normalised * gain.view(shape) + bias.view(shape);
}

torch::Tensor member_linear(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias) {
  const auto E = x.size(0), k = x.size(-1), n = weight.size(2);
  std::vector<std::int64_t> out_shape(x.sizes().begin(), x.sizes().end());
  out_shape.back() = n;
  const torch::Tensor flat = x.reshape({E, -1, k});
  const torch::Tensor y = bias.defined() ? torch::baddbmm(bias.unsqueeze(1), flat, weight) : torch::bmm(flat, weight);
  return y.view(out_shape);
}

namespace {

// Per member e, a tensor of shape [E, rest...] with member e's rows drawn N(0, std^2) from its own
// generator, in a fixed order (the order of the calls below).
torch::Tensor normal_rows(std::vector<at::Generator>& generators, std::vector<std::int64_t> rest, double std,
                          torch::Dtype dtype) {
  std::vector<torch::Tensor> rows;
  for (auto& g : generators)
    rows.push_back(at::normal(0.0, std, rest, g, torch::TensorOptions().dtype(torch::kFloat64)));
  return torch::stack(rows).to(dtype);
}

}  // namespace

TransformerImpl::TransformerImpl(const TransformerSettings& s, const std::vector<std::uint64_t>& seeds,
                                 torch::Dtype dtype)
    : settings_(s) {
  validate(s, "transformer");
  if (static_cast<int>(seeds.size()) != s.members)
    throw std::invalid_argument(fmt::format("{} seeds for {} members", seeds.size(), s.members));
  std::vector<at::Generator> generators;
  for (auto seed : seeds) generators.push_back(at::make_generator<at::CPUGeneratorImpl>(seed));
  const std::int64_t E = s.members, d = s.d, wide = std::int64_t(s.mlp_ratio) * d;
  const double residual_std = s.init_std / std::sqrt(2.0 * s.layers);
  const auto options = torch::TensorOptions().dtype(dtype);
  token_table = register_parameter("token_table", normal_rows(generators, {s.vocabulary, d}, s.init_std, dtype));
  for (int l = 0; l < s.layers; ++l) {
    BlockParameters b;
    const std::string p = fmt::format("block{}_", l);
    b.ln1_gain = register_parameter(p + "ln1_gain", torch::ones({E, d}, options));
    b.ln1_bias = register_parameter(p + "ln1_bias", torch::zeros({E, d}, options));
    b.w_qkv = register_parameter(p + "w_qkv", normal_rows(generators, {d, 3 * d}, s.init_std, dtype));
    b.b_qkv = register_parameter(p + "b_qkv", torch::zeros({E, 3 * d}, options));
    b.w_o = register_parameter(p + "w_o", normal_rows(generators, {d, d}, residual_std, dtype));
    b.b_o = register_parameter(p + "b_o", torch::zeros({E, d}, options));
    b.ln2_gain = register_parameter(p + "ln2_gain", torch::ones({E, d}, options));
    b.ln2_bias = register_parameter(p + "ln2_bias", torch::zeros({E, d}, options));
    b.w_1 = register_parameter(p + "w_1", normal_rows(generators, {d, wide}, s.init_std, dtype));
    b.c_1 = register_parameter(p + "c_1", torch::zeros({E, wide}, options));
    b.w_2 = register_parameter(p + "w_2", normal_rows(generators, {wide, d}, residual_std, dtype));
    b.c_2 = register_parameter(p + "c_2", torch::zeros({E, d}, options));
    blocks.push_back(b);
  }
  lnf_gain = register_parameter("lnf_gain", torch::ones({E, d}, options));
  lnf_bias = register_parameter("lnf_bias", torch::zeros({E, d}, options));
  if (s.outputs > 0) {
    w_out = register_parameter("w_out", normal_rows(generators, {d, s.outputs}, s.init_std, dtype));
    b_out = register_parameter("b_out", torch::zeros({E, s.outputs}, options));
  }
  // Drawn last, so that the other weights of a member do not depend on the sequence length.
  position_table = register_parameter("position_table", normal_rows(generators, {s.positions, d}, s.init_std, dtype));
}

torch::Tensor TransformerImpl::token_rows(const torch::Tensor& tokens) const {
  const std::int64_t E = settings_.members, V = settings_.vocabulary;
  const torch::Tensor offsets = torch::arange(E, tokens.options()).mul(V).view({E, 1, 1});
  return torch::embedding(token_table.reshape({E * V, settings_.d}), tokens + offsets);
}

torch::Tensor TransformerImpl::position_row(std::int64_t p) const {
  return position_table.select(1, p).unsqueeze(1);
}

torch::Tensor TransformerImpl::embed(const torch::Tensor& tokens, std::int64_t first_position) const {
  const std::int64_t T = tokens.size(2);
  if (first_position + T > settings_.positions)
    throw std::out_of_range(fmt::format("a sequence of {} positions from {} exceeds the {} learned positions", T,
                                        first_position, settings_.positions));
  return token_rows(tokens) + position_table.narrow(1, first_position, T).unsqueeze(1);
}

torch::Tensor TransformerImpl::block(const torch::Tensor& residual, std::size_t l, torch::Tensor* attention) const {
  const BlockParameters& b = blocks[l];
  const std::int64_t E = residual.size(0), B = residual.size(1), T = residual.size(2), d = settings_.d;
  const std::int64_t H = settings_.heads, w = d / H;
  const torch::Tensor causal =
      torch::ones({T, T}, torch::TensorOptions().dtype(torch::kBool)).triu(1);  // true above the diagonal
  torch::Tensor h = residual;
  const torch::Tensor qkv = member_linear(member_layer_norm(h, b.ln1_gain, b.ln1_bias), b.w_qkv, b.b_qkv);
  // [E, B, T, 3, H, w] -> three [E*B, H, T, w]
  const auto parts = qkv.view({E * B, T, 3, H, w}).permute({2, 0, 3, 1, 4}).unbind(0);
  const torch::Tensor scores =
      torch::matmul(parts[0], parts[1].transpose(-1, -2)).div(std::sqrt(double(w))).masked_fill(causal, -INFINITY);
  const torch::Tensor mixed = torch::matmul(torch::softmax(scores, -1), parts[2]);  // [E*B, H, T, w]
  const torch::Tensor attended = mixed.permute({0, 2, 1, 3}).reshape({E, B, T, d});
  const torch::Tensor branch = member_linear(attended, b.w_o, b.b_o);  // a_l = W_o Attn(LN1(h)) + b_o
  if (attention) *attention = branch;
  h = h + branch;
  const torch::Tensor hidden = torch::gelu(member_linear(member_layer_norm(h, b.ln2_gain, b.ln2_bias), b.w_1, b.c_1));
  return h + member_linear(hidden, b.w_2, b.c_2);
}

torch::Tensor TransformerImpl::forward(const torch::Tensor& inputs) {
  torch::Tensor h = inputs;
  for (std::size_t l = 0; l < blocks.size(); ++l) h = block(h, l);
  return member_layer_norm(h, lnf_gain, lnf_bias);
}

std::vector<torch::Tensor> TransformerImpl::residuals(const torch::Tensor& inputs,
                                                      std::vector<torch::Tensor>* attention) const {
  std::vector<torch::Tensor> out = {inputs};
  if (attention) attention->assign(blocks.size(), torch::Tensor());
  for (std::size_t l = 0; l < blocks.size(); ++l)
    out.push_back(block(out.back(), l, attention ? &(*attention)[l] : nullptr));
  return out;
}

torch::Tensor TransformerImpl::head(const torch::Tensor& outputs) const {
  if (settings_.outputs > 0) return member_linear(outputs, w_out, b_out);
  return member_linear(outputs, token_table.transpose(1, 2), {});
}

std::string TransformerImpl::nonfinite_parameter(int e) const {
  for (const auto& item : named_parameters())
    if (!torch::isfinite(item.value()[e]).all().item<bool>()) return item.key();
  return "";
}

}  // namespace cotdyn::simulation::transformer
