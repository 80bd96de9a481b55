#include <cotdyn/interaction/activation.hpp>

#include <stdexcept>

#include <boost/math/differentiation/autodiff.hpp>

namespace cotdyn::interaction {

namespace ad = boost::math::differentiation;

const std::vector<Activation>& all_activations() {
  static const std::vector<Activation> all{Activation::identity, Activation::x2,   Activation::x3,
                                           Activation::exp,      Activation::tanh, Activation::relu,
                                           Activation::gelu,     Activation::silu, Activation::softplus};
  return all;
}

std::string activation_name(Activation a) {
  switch (a) {
    case Activation::identity: return "identity";
    case Activation::x2: return "x2";
    case Activation::x3: return "x3";
    case Activation::exp: return "exp";
    case Activation::tanh: return "tanh";
    case Activation::relu: return "relu";
    case Activation::gelu: return "gelu";
    case Activation::silu: return "silu";
    case Activation::softplus: return "softplus";
  }
  return "?";
}

Activation parse_activation(const std::string& name, const std::string& key) {
  for (Activation a : all_activations())
    if (activation_name(a) == name) return a;
  throw std::invalid_argument(key + ": unknown activation \"" + name +
                              "\"; allowed: identity, x2, x3, exp, tanh, relu, gelu, silu, softplus");
}

bool is_smooth(Activation a) { return a != Activation::relu; }

std::vector<double> activation_derivatives(Activation a, double x, int order) {
  if (order < 0 || order > max_derivative_order)
    throw std::invalid_argument("activation_derivatives: order " + std::to_string(order) + " outside 0.." +
                                std::to_string(max_derivative_order));
  const auto y = activation_value(a, ad::make_fvar<double, max_derivative_order>(x));
  std::vector<double> d(order + 1);
  for (int k = 0; k <= order; ++k) d[k] = static_cast<double>(y.derivative(k));
  return d;
}

double activation_slope(Activation a, double x) {
  return static_cast<double>(activation_value(a, ad::make_fvar<double, 1>(x)).derivative(1));
}

}  // namespace cotdyn::interaction
