#include <cotdyn/meanfield/tree/parameters.hpp>

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace cotdyn::meanfield::tree {

namespace {
constexpr int max_depth = 12;  // the canonical sample has 2^(D+1) + 2D - 2 tokens
constexpr int max_heads = 64;
}  // namespace

double Parameters::head_epsilon(int h) const {
  if (!head_epsilons.empty()) return head_epsilons.at(h);
  return H == 1 ? epsilon : epsilon * (1.0 - 2.0 * h / (H - 1));
}

Parameters default_parameters(Task task) {
  Parameters p;
  p.task = task;
  p.H = task == Task::forward ? 2 : 1;
  return p;
}

std::string to_string(Task task) { return task == Task::forward ? "forward" : "backward"; }

void validate(const Parameters& p) {
  if (p.D < 1 || p.D > max_depth)
    throw std::invalid_argument(fmt::format("D = {}: the tree depth must be an integer from 1 to {}", p.D, max_depth));
  if (p.N < p.nodes())
    throw std::invalid_argument(fmt::format(
        "N = {}: the number of symbols must be at least n_T = 2^(D+1) - 1 = {} for depth D = {}", p.N, p.nodes(), p.D));
  if (p.H < 1 || p.H > max_heads)
    throw std::invalid_argument(fmt::format("H = {}: the number of heads must be from 1 to {}", p.H, max_heads));
  if (!(p.eta > 0.0) || !std::isfinite(p.eta))
    throw std::invalid_argument(fmt::format("eta = {}: the learning rate must be positive and finite", p.eta));
  if (!std::isfinite(p.epsilon))
    throw std::invalid_argument(fmt::format("epsilon = {}: the head asymmetry must be finite", p.epsilon));
  if (!p.head_epsilons.empty() && static_cast<int>(p.head_epsilons.size()) != p.H)
    throw std::invalid_argument(fmt::format(
        "head_epsilons has {} entries: it must be empty or have one per head (H = {})", p.head_epsilons.size(), p.H));
  for (const double e : p.head_epsilons)
    if (!std::isfinite(e))
      throw std::invalid_argument(fmt::format("head_epsilons contains {}: every entry must be finite", e));
  if (!(p.d >= 1.0))  // also refuses NaN; +infinity is the plain ODE
    throw std::invalid_argument(
        fmt::format("d = {}: the embedding dimension must be at least 1 (infinity for the plain ODE)", p.d));
}

void validate(const Tolerances& t) {
  if (!(t.rtol > 0.0) || !(t.rtol < 1.0))
    throw std::invalid_argument(fmt::format("rtol = {}: the relative tolerance must be in (0, 1)", t.rtol));
  if (!(t.atol > 0.0) || !std::isfinite(t.atol))
    throw std::invalid_argument(fmt::format("atol = {}: the absolute tolerance must be positive and finite", t.atol));
}

std::string head_column(int h, const std::string& name) { return fmt::format("head{}_{}", h, name); }

int order_parameter_index(const std::string& name) {
  for (int i = 0; i < per_head; ++i)
    if (name == order_parameter_names[i]) return i;
  throw std::invalid_argument(fmt::format(
      "order parameter \"{}\": allowed are a_BX b_BX a_BY b_BY a_FX b_FX a_FY b_FY o_X r_X o_Y r_Y", name));
}

HeadOrderParameters head(const std::vector<double>& x, int h) {
  HeadOrderParameters theta;
  for (int i = 0; i < per_head; ++i) theta[i] = x.at(per_head * h + i);
  return theta;
}

}  // namespace cotdyn::meanfield::tree
