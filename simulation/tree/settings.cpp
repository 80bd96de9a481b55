#include <cotdyn/simulation/tree/settings.hpp>

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace cotdyn::simulation::tree {

namespace {

[[noreturn]] void reject(const std::string& key, const std::string& value, const std::string& allowed) {
  throw std::invalid_argument(fmt::format("tree.{} = {} is not allowed: {}", key, value, allowed));
}

void require_positive(const char* key, int value) {
  if (value < 1) reject(key, std::to_string(value), "it must be an integer >= 1");
}

}  // namespace

std::string to_string(Storage storage) { return storage == Storage::tensor ? "tensor" : "coefficients"; }

Storage storage_from_string(const std::string& name) {
  if (name == "tensor") return Storage::tensor;
  if (name == "coefficients") return Storage::coefficients;
  throw std::invalid_argument(fmt::format("tree.storage = \"{}\" is not allowed: use \"tensor\" or \"coefficients\"", name));
}

meanfield::tree::Parameters TreeSettings::parameters(bool finite_d) const {
  meanfield::tree::Parameters p;
  p.task = task == Task::forward ? meanfield::tree::Task::forward : meanfield::tree::Task::backward;
  p.N = N;
  p.D = D;
  p.H = H;
  p.eta = eta;
  p.epsilon = epsilon;
  p.head_epsilons = head_epsilons;
  if (finite_d) p.d = d;
  return p;
}

TreeSettings default_settings(Task task) {
  TreeSettings s;
  s.task = task;
  s.H = task == Task::forward ? 2 : 1;
  return s;
}

void validate(const TreeSettings& s) {
  if (s.D < 1 || s.D > 10) reject("D", std::to_string(s.D), "the tree depth must be an integer from 1 to 10");
  if (s.N < s.tree_task().nodes())
    reject("N", std::to_string(s.N),
           fmt::format("it must be at least n_T = 2^(D+1) - 1 = {} for D = {} (distinct node labels)", s.tree_task().nodes(), s.D));
  require_positive("d", s.d);
  require_positive("heads", s.H);
  if (!std::isfinite(s.eta) || s.eta <= 0) reject("eta", fmt::format("{}", s.eta), "it must be finite and > 0");
  require_positive("batch", s.batch);
  if (!std::isfinite(s.epsilon)) reject("epsilon", fmt::format("{}", s.epsilon), "it must be finite");
  if (!s.head_epsilons.empty()) {
    const auto shown = fmt::format("[{}]", fmt::join(s.head_epsilons, ", "));
    if (s.head_epsilons.size() != static_cast<std::size_t>(s.H))
      reject("head_epsilons", shown, fmt::format("give exactly heads = {} values, or none for the default rule", s.H));
    for (double x : s.head_epsilons)
      if (!std::isfinite(x)) reject("head_epsilons", shown, "every entry must be finite");
  }
  if (!std::isfinite(s.init_scale) || s.init_scale < 0)
    reject("init_scale", fmt::format("{}", s.init_scale), "it must be finite and >= 0");
  if (s.init_scale > 0 && s.storage == Storage::coefficients && s.d < s.N)
    reject("init_scale", fmt::format("{}", s.init_scale),
           fmt::format("an iid init in coefficient storage is projected with G^-1, which needs d >= N (d = {}, N = {}); "
                       "use 0 or storage = \"tensor\"", s.d, s.N));
  require_positive("seeds", s.seeds);
  if (s.eval_size < 0) reject("eval_size", std::to_string(s.eval_size), "it must be an integer >= 0");
  if (s.threads < 0) reject("threads", std::to_string(s.threads), "it must be >= 0 (0: the library's default)");
  double labellings = 1.0;  // N! / (N - n_T)!: the distinct labelled trees
  for (int i = 0; i < s.tree_task().nodes() && labellings <= s.eval_size; ++i) labellings *= s.N - i;
  if (labellings <= s.eval_size)
    reject("eval_size", std::to_string(s.eval_size),
           fmt::format("it must be below the {} distinct labelled trees of N = {}, D = {} (training draws skip them)",
                       labellings, s.N, s.D));
}

}  // namespace cotdyn::simulation::tree
