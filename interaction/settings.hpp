#pragma once
// Settings of `cotdyn interaction`: exactly the keys of the config section [interaction] (INTERACTION.md).
// Torch-free; the CLI fills it from TOML and calls validate() before anything else.
#include <cstdint>
#include <string>
#include <vector>

namespace cotdyn::interaction {

// Value scale v of the pre-activation z = v * sum_j alpha_j x_j: a fixed number, or v = sqrt(T) per cell
// (config value "sqrt_T": the pre-activation-normalised model, signal ~ T^{-r/2}).
struct ValueScale {
  bool sqrt_T = false;  // true: v = sqrt(T); `value` is then ignored
  double value = 1.0;   // the fixed v when sqrt_T is false
  double at(int T) const;  // the v used for a cell of length T
  std::string label() const;  // "1", "0.5", ... or "sqrt_T"
};

enum class TokenLaw { rademacher, gaussian };
std::string token_law_name(TokenLaw t);  // "rademacher" | "gaussian"
TokenLaw parse_token_law(const std::string& name);  // throws std::invalid_argument naming interaction.tokens

struct InteractionSettings {
  // Config names identity, x2, x3, exp, tanh, relu, gelu, silu, softplus (see activation.hpp); default: all nine.
  std::vector<std::string> activations{"identity", "x2", "x3", "exp", "tanh", "relu", "gelu", "silu", "softplus"};
  std::vector<double> b{0.0};  // bias values; default b = 0 (where the symmetry zeros and the ReLU kink show)
  ValueScale v{};              // default v = 1 (plain averaging, signal ~ T^{-r})
  TokenLaw tokens = TokenLaw::rademacher;
  std::vector<int> r{1, 2, 3, 4};
  std::vector<int> T{4, 8, 16, 32, 64};
  std::int64_t samples = 50000;  // antithetic pairs per measured cell
  std::uint64_t seed = 1;
};

// Largest supported interaction order (the Taylor form needs sigma^{(r+2)}; autodiff order is fixed at 20,
// and the compression table needs r = 16).
inline constexpr int max_order = 16;

// Throws std::invalid_argument naming `interaction.<key>`, the offending value and what is allowed:
// activations non-empty and known; b non-empty and finite; v finite and > 0; r non-empty, each in 1..16;
// T non-empty, each >= 1 and >= max(r) (an order-r target needs r positions: r > T is an error, T = r is the
// degenerate cell of INTERACTION.md and allowed); samples >= 2.
void validate(const InteractionSettings& s);

}  // namespace cotdyn::interaction
