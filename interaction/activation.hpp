#pragma once
// The activations of the order-r interaction model (INTERACTION.md, "Model"), written once as a template so the
// same definition is evaluated in double, in Boost.Multiprecision, and on Boost.Math autodiff numbers (which give
// the derivatives sigma^{(k)}(b) used by the Taylor and Gaussian forms; nothing is hand-differentiated).
#include <cmath>
#include <string>
#include <vector>

#include <boost/math/special_functions/erf.hpp>

namespace cotdyn::interaction {

enum class Activation { identity, x2, x3, exp, tanh, relu, gelu, silu, softplus };

// All activations in the order of the default table.
const std::vector<Activation>& all_activations();
// Config / CSV name: identity, x2, x3, exp, tanh, relu, gelu, silu, softplus.
std::string activation_name(Activation a);
// Inverse of activation_name; throws std::invalid_argument naming `key` for an unknown name.
Activation parse_activation(const std::string& name, const std::string& key = "interaction.activations");
// False only for ReLU (kink at 0), whose derivatives at the kink are not defined.
bool is_smooth(Activation a);

// sigma(x). ReLU uses max(x, 0) written so that its derivative at 0 is 0, the PyTorch convention ReLU'(0) = 0.
// GELU is the exact form x Phi(x) = x (1 + erf(x / sqrt 2)) / 2. SiLU and softplus are
// written in forms that do not overflow for large |x|.
template <class X>
X activation_value(Activation a, const X& x) {
  using std::erf;
  using std::exp;
  using std::log;
  using std::sqrt;
  using std::tanh;
  using boost::math::erf;
  switch (a) {
    case Activation::identity: return x;
    case Activation::x2: return x * x;
    case Activation::x3: return x * x * x;
    case Activation::exp: return exp(x);
    case Activation::tanh: return tanh(x);
    case Activation::relu: return x > X(0) ? X(x) : X(0);
    case Activation::gelu: return x * (1 + erf(x / sqrt(X(2)))) / 2;
    case Activation::silu: return x > X(0) ? X(x / (1 + exp(-x))) : X(x * exp(x) / (1 + exp(x)));
    case Activation::softplus: return x > X(0) ? X(x + log(1 + exp(-x))) : X(log(1 + exp(x)));
  }
  return x;
}

// Largest derivative order available from activation_derivatives (enough for the Taylor form at r = 18).
inline constexpr int max_derivative_order = 20;

// sigma^{(k)}(x) for k = 0..order (order <= max_derivative_order), from Boost.Math autodiff.
// For ReLU at x = 0 the result follows ReLU'(0) = 0 and all higher derivatives 0 (callers treat the kink).
std::vector<double> activation_derivatives(Activation a, double x, int order);

// sigma'(x) (first derivative through autodiff) in double; ReLU'(0) = 0.
double activation_slope(Activation a, double x);

}  // namespace cotdyn::interaction
