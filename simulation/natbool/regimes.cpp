#include <cotdyn/simulation/natbool/regimes.hpp>

#include <stdexcept>

namespace cotdyn::simulation::natbool {

bool stops_gradient(Regime regime) { return regime == Regime::aligned; }

std::vector<int> gate_levels(const Dag& dag) {
  std::vector<int> levels;
  for (const auto& g : dag.gates()) levels.push_back(g.level);
  return levels;
}

namespace {

int prompt_length(const Layout& layout) {
  // Position m holds SEP; the prompt is [x, SEP]: pass_lengths of direct, or one less than the first
  // latent pass's first new position.
  int first_new = layout.length;
  for (std::size_t p = 0; p < layout.position_gate.size(); ++p)
    if (layout.position_gate[p] != 0) {
      first_new = static_cast<int>(p);
      break;
    }
  return first_new;  // m + 1
}

// The latent recurrence of the implicit and aligned regimes (§2). Returns the final-LayerNorm
// outputs at every gate position m+1 ... m+G ([E, B, G, d]), each taken in the pass that made it.
torch::Tensor latent_recurrence(transformer::TransformerImpl& network, const Layout& layout,
                                const std::vector<int>& levels, const torch::Tensor& tokens, bool stop_gradient) {
  // levels.size() = G; the passes follow the layout's level order.
  const int m1 = prompt_length(layout);  // m + 1
  const int G = static_cast<int>(levels.size());
  const torch::Tensor prompt = network.embed(tokens.narrow(2, 0, m1));
  std::vector<torch::Tensor> latents;  // t_g, [E, B, d], g = 1 ... (made so far)
  std::vector<torch::Tensor> outputs;
  int start = m1;
  for (int end : layout.pass_lengths) {
    std::vector<torch::Tensor> pieces = {prompt};
    for (int g = 1; g <= static_cast<int>(latents.size()); ++g) {
      const torch::Tensor t = stop_gradient ? latents[g - 1].detach() : latents[g - 1];
      pieces.push_back((t + network.position_row(m1 - 1 + g)).unsqueeze(2));
    }
    pieces.push_back(network.embed(tokens.narrow(2, start, end - start), start));  // LAT + position
    const torch::Tensor h = network.forward(torch::cat(pieces, 2));
    for (int p = start; p < end; ++p) {
      const torch::Tensor out = h.select(2, p);
      outputs.push_back(out);
      if (p - m1 + 1 < G) latents.push_back(out);
    }
    start = end;
  }
  return torch::stack(outputs, 2);
}

}  // namespace

RegimeOutputs forward(transformer::TransformerImpl& network, const Layout& layout, const std::vector<int>& levels,
                      const torch::Tensor& tokens, bool stop_gradient) {
  RegimeOutputs out;
  const auto positions = torch::tensor(std::vector<std::int64_t>(layout.target_positions.begin(), layout.target_positions.end()));
  switch (layout.regime) {
    case Regime::direct:
    case Regime::explicit_cot: {
      const torch::Tensor h = network.forward(network.embed(tokens));
      out.logits = network.head(h.index_select(2, positions));
      break;
    }
    case Regime::implicit:
    case Regime::aligned: {
      const int m1 = prompt_length(layout);
      const torch::Tensor gates = latent_recurrence(network, layout, levels, tokens, stop_gradient);  // [E,B,G,d]
      const torch::Tensor logits = network.head(gates);                                               // [E,B,G,2]
      out.logits = logits.index_select(2, positions - m1);
      const int G = static_cast<int>(levels.size());
      out.latent_logits = logits.narrow(2, 0, std::min<std::int64_t>(G - 1, logits.size(2)));  // fewer when passes are cut
      break;
    }
  }
  return out;
}

torch::Tensor member_losses(const torch::Tensor& logits, const torch::Tensor& targets) {
  const auto E = logits.size(0);
  const torch::Tensor ce = torch::nn::functional::cross_entropy(
      logits.reshape({-1, 2}), targets.reshape({-1}),
      torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone));
  return ce.view({E, -1}).mean(1);
}

Inference infer(transformer::TransformerImpl& network, const Layout& layout, const std::vector<int>& levels,
                const torch::Tensor& tokens) {
  torch::NoGradGuard no_grad;
  Inference result;
  const int m1 = prompt_length(layout);
  switch (layout.regime) {
    case Regime::direct: {
      const torch::Tensor h = network.forward(network.embed(tokens.narrow(2, 0, m1)));
      result.answer = network.head(h.select(2, m1 - 1)).argmax(-1);
      break;
    }
    case Regime::explicit_cot: {  // greedy decoding: G passes on the growing prefix [x, SEP, c_1 ...]
      torch::Tensor prefix = tokens.narrow(2, 0, m1);
      const int G = static_cast<int>(levels.size());
      for (int j = 1; j <= G; ++j) {
        const torch::Tensor h = network.forward(network.embed(prefix));
        const torch::Tensor bit = network.head(h.select(2, prefix.size(2) - 1)).argmax(-1);  // [E, N]
        if (j == G)
          result.answer = bit;
        else
          prefix = torch::cat({prefix, bit.unsqueeze(2)}, 2);
      }
      break;
    }
    case Regime::implicit:
    case Regime::aligned: {
      const torch::Tensor gates = latent_recurrence(network, layout, levels, tokens, true);
      const torch::Tensor bits = network.head(gates).argmax(-1);  // [E, N, G]
      const int G = static_cast<int>(levels.size());
      result.answer = bits.select(2, G - 1);
      result.latent_bits = bits.narrow(2, 0, G - 1);
      break;
    }
  }
  return result;
}

MemberBatch encode_members(const std::vector<Dag>& dags, const Layout& layout,
                           const std::vector<std::vector<std::uint64_t>>& inputs) {
  if (dags.size() != inputs.size()) throw std::logic_error("encode_members: one input list per member");
  std::vector<torch::Tensor> tokens, targets, values;
  for (std::size_t e = 0; e < dags.size(); ++e) {
    const EncodedBatch b = encode(dags[e], layout, inputs[e]);
    tokens.push_back(torch::tensor(b.tokens, torch::kInt64).view({b.rows, b.length}));
    targets.push_back(torch::tensor(b.target_values, torch::kInt64).view({b.rows, b.targets}));
    std::vector<std::int64_t> v;
    for (auto x : inputs[e])
      for (int c : dags[e].gate_values(x)) v.push_back(c);
    values.push_back(torch::tensor(v, torch::kInt64).view({b.rows, dags[e].num_gates()}));
  }
  return {torch::stack(tokens), torch::stack(targets), torch::stack(values)};
}

}  // namespace cotdyn::simulation::natbool
