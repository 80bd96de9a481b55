#include <cotdyn/models/state_tracking/resolve.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <cotdyn/core/choice.hpp>


namespace cotdyn::models::state_tracking {

namespace {
// An integer key the theory holds in an int: refused beyond the int range, never wrapped around
// (task.L = 2^32 + 9 would otherwise be read as 9).
std::int64_t int_sized(const core::Config& config, const std::string& key) {
  const auto value = config.get_integer(key);
  if (value > std::numeric_limits<int>::max() || value < std::numeric_limits<int>::min())
    throw std::invalid_argument(
        fmt::format("{} = {}: must lie in [{}, {}]", key, value, std::numeric_limits<int>::min(),
                    std::numeric_limits<int>::max()));
  return value;
}

// n and K of the task built from `group` and `actions` (which make_permutation_task also checks). The
// last group and actions are remembered per thread: a sweep resolves every point's parameters, and
// its points rarely change the task.
std::pair<int, int> task_size(const std::string& group, const std::vector<std::vector<int>>& actions) {
  thread_local std::string last_group;
  thread_local std::vector<std::vector<int>> last_actions;
  thread_local std::pair<int, int> last{0, 0};
  if (last.first == 0 || group != last_group || actions != last_actions) {
    const auto task = task::make_permutation_task(group, actions);
    last = {task.num_states(), task.num_actions()};
    last_group = group;
    last_actions = actions;
  }
  return last;
}
}  // namespace

std::optional<task::PermutationTask> resolve_task(const core::Config& config) {
  const std::string group = config.get_string("task.group");
  if (group.empty()) return std::nullopt;
  return task::make_permutation_task(group, config.get_integer_matrix("task.actions"));
}

meanfield::ModelParameters resolve_model_parameters(const core::Config& config) {
  meanfield::ModelParameters p;
  const auto explicit_n = int_sized(config, "task.n"), explicit_K = int_sized(config, "task.K");
  if (explicit_n < 0) throw std::invalid_argument(fmt::format("task.n = {}: must be >= 0 (0 = from the group)", explicit_n));
  if (explicit_K < 0) throw std::invalid_argument(fmt::format("task.K = {}: must be >= 0 (0 = from the actions)", explicit_K));
  const std::string group = (explicit_n > 0 && explicit_K > 0) ? std::string() : config.get_string("task.group");
  if (!group.empty()) {
    const auto [n, K] = task_size(group, config.get_integer_matrix("task.actions"));
    p.n = explicit_n > 0 ? static_cast<int>(explicit_n) : n;
    p.K = explicit_K > 0 ? static_cast<int>(explicit_K) : K;
  } else {
    if (explicit_n == 0 || explicit_K == 0)
      throw std::invalid_argument(fmt::format(
          "task.group = \"\" needs task.n and task.K (> 0), got n = {}, K = {}", explicit_n, explicit_K));
    p.n = static_cast<int>(explicit_n);
    p.K = static_cast<int>(explicit_K);
  }
  p.L = static_cast<int>(int_sized(config, "task.L"));
  p.eta_W = config.get_number("train.eta_W");
  p.eta_A = config.get_number("train.eta_A");
  p.sigma2 = config.get_number("model.sigma2");
  p.label_noise = config.get_number("task.label_noise");
  meanfield::validate(p);
  return p;
}

meanfield::Tolerances resolve_tolerances(const core::Config& config) {
  meanfield::Tolerances t{config.get_number("theory.rtol"), config.get_number("theory.atol")};
  meanfield::validate(t);
  return t;
}

namespace {
enum class FiniteSize { none, gram };
constexpr core::ChoiceNames<FiniteSize, 2> finite_size_names = {{{FiniteSize::none, "none"}, {FiniteSize::gram, "gram"}}};
}  // namespace

std::optional<meanfield::FiniteSizeTheory> resolve_finite_size(const core::Config& config) {
  const auto choice = core::parse_choice("theory.finite_size", config.get_string("theory.finite_size"), finite_size_names);
  const auto draws = config.get_integer("theory.gram_draws");
  meanfield::validate_gram_draws(draws);
  if (choice == FiniteSize::none) return std::nullopt;
  const auto task = resolve_task(config);
  if (!task)
    throw std::invalid_argument("theory.finite_size = \"gram\" needs the task's transitions: set task.group "
                                "(task.group = \"\" gives only n and K)");
  const auto p = resolve_model_parameters(config);
  if (p.n != task->num_states() || p.K != task->num_actions())
    throw std::invalid_argument(fmt::format("theory.finite_size = \"gram\" needs task.n and task.K of the group ({} "
                                            "and {}), got {} and {}", task->num_states(), task->num_actions(), p.n, p.K));
  const auto seed = config.get_integer("train.seed");
  if (seed < 0) throw std::invalid_argument(fmt::format("train.seed = {}: must be >= 0", seed));
  return meanfield::FiniteSizeTheory{task->transition, static_cast<int>(draws), static_cast<std::uint64_t>(seed)};
}

}  // namespace cotdyn::models::state_tracking
