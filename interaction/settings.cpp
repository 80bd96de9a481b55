#include <cotdyn/interaction/settings.hpp>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include <cotdyn/interaction/activation.hpp>

namespace cotdyn::interaction {

namespace {
std::string number(double x) {
  std::ostringstream os;
  os << x;
  return os.str();
}
[[noreturn]] void bad(const std::string& key, const std::string& value, const std::string& allowed) {
  throw std::invalid_argument("interaction." + key + " = " + value + " is invalid: " + allowed);
}
}  // namespace

double ValueScale::at(int T) const { return sqrt_T ? std::sqrt(static_cast<double>(T)) : value; }

std::string ValueScale::label() const { return sqrt_T ? "sqrt_T" : number(value); }

std::string token_law_name(TokenLaw t) { return t == TokenLaw::gaussian ? "gaussian" : "rademacher"; }

TokenLaw parse_token_law(const std::string& name) {
  if (name == "rademacher") return TokenLaw::rademacher;
  if (name == "gaussian") return TokenLaw::gaussian;
  bad("tokens", "\"" + name + "\"", "allowed: \"rademacher\" or \"gaussian\"");
}

void validate(const InteractionSettings& s) {
  if (s.activations.empty()) bad("activations", "[]", "give at least one activation");
  for (const auto& name : s.activations) parse_activation(name, "interaction.activations");
  if (s.b.empty()) bad("b", "[]", "give a number or a non-empty list of numbers");
  for (double b : s.b)
    if (!std::isfinite(b)) bad("b", number(b), "every bias must be a finite number");
  if (!s.v.sqrt_T && !(std::isfinite(s.v.value) && s.v.value > 0))
    bad("v", number(s.v.value), "a finite number > 0, or \"sqrt_T\"");
  if (s.r.empty()) bad("r", "[]", "give a non-empty list of orders");
  for (int r : s.r)
    if (r < 1 || r > max_order) bad("r", std::to_string(r), "every order must be in 1.." + std::to_string(max_order));
  if (s.T.empty()) bad("T", "[]", "give a non-empty list of lengths");
  const int r_max = *std::max_element(s.r.begin(), s.r.end());
  for (int T : s.T) {
    if (T < 1) bad("T", std::to_string(T), "every length must be >= 1");
    if (T < r_max)
      bad("T", std::to_string(T),
          "every length must be >= the largest order r = " + std::to_string(r_max) + " (r > T has no meaning)");
  }
  if (s.samples < 2) bad("samples", std::to_string(s.samples), "at least 2 antithetic pairs per cell");
}

}  // namespace cotdyn::interaction
