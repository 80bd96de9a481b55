#include <cotdyn/simulation/state_tracking/settings.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#ifdef COTDYN_WITH_TORCH
#include <torch/cuda.h>
#else
#include <cotdyn/core/libtorch_needed.hpp>
#endif

namespace cotdyn::simulation {

bool cuda_available([[maybe_unused]] const std::string& key) {
#ifdef COTDYN_WITH_TORCH
  return torch::cuda::is_available();
#else
  throw core::LibTorchNeeded(key + " = \"cuda\": whether a CUDA device is available is for LibTorch to say");
#endif
}


int intra_op_threads(const SimulationSettings& settings, int cores) {
  if (settings.threads > 0) return settings.threads;
  return settings.logic == LogicStorage::tensor && !settings.ablation.any() ? std::max(1, cores) : 1;
}

task::PermutationTask default_permutation_task() {
  return task::make_permutation_task("S4", {{1, 0, 2, 3}, {0, 2, 1, 3}, {0, 1, 3, 2}, {1, 2, 3, 0}});
}

namespace {
[[noreturn]] void reject(const std::string& key, const std::string& value, const std::string& allowed) {
  throw std::invalid_argument(fmt::format("{} = {}: {}", key, value, allowed));
}
}  // namespace

void validate(const SimulationSettings& s) {
  // model.sigma2, train.eta_W and train.eta_A are the ODE's keys too: they are validated once, by the
  // theory's rule (meanfield::validate, through resolve_model_parameters), before settings exist.
  const int n = s.task.num_states();
  const int K = s.task.num_actions();
  if (n < 2 || K < 2 || static_cast<int>(s.task.transition.size()) != K)
    reject("task.actions", fmt::format("{} actions on {} states", K, n),
           "the task must be built by make_permutation_task with at least 2 actions");
  if (s.L < 2) reject("task.L", std::to_string(s.L), "at least 2 actions per sequence are needed");
  if (s.d <= 0 || s.d % (2 * (s.L - 1)) != 0)
    reject("model.d", std::to_string(s.d),
           fmt::format("d must be a positive multiple of 2(L-1) = {} (docs/theory.md §2: balanced RoPE residues)",
                       2 * (s.L - 1)));
  if (s.logic == LogicStorage::tensor && s.d < n)
    reject("model.d", std::to_string(s.d),
           fmt::format("logic = \"tensor\" needs d >= n = {} (dual bases of docs/theory.md §3)", n));
  if (s.ablation.any() && s.device != DeviceKind::cpu)
    reject("model.device", "\"cuda\"",
           fmt::format("the [ablation] switches ({}) run the general model, which is tested on the CPU only: use "
                       "\"cpu\"",
                       fmt::join(s.ablation.active(), ", ")));
  if (s.device == DeviceKind::cuda && !cuda_available("model.device"))
    reject("model.device", "\"cuda\"", no_cuda_device);
  if (s.threads < 0) reject("model.threads", std::to_string(s.threads), "must be >= 0 (0 = core count)");
  if (s.batch < 1) reject("train.batch", std::to_string(s.batch), "must be >= 1");
  if (!(s.t_max >= 0) || !std::isfinite(s.t_max))
    reject("train.t_max", fmt::format("{}", s.t_max), "must be a finite number >= 0");
  if (s.seeds < 1) reject("train.seeds", std::to_string(s.seeds), "must be >= 1");
  if (s.eval_sequences < 1)
    reject("eval_sequences", std::to_string(s.eval_sequences), "must be >= 1");
  for (std::size_t i = 0; i < s.observation_times.size(); ++i) {
    const double t = s.observation_times[i];
    if (!(t >= 0 && t <= s.t_max))
      reject("observe.times", fmt::format("{}", t), fmt::format("times must lie in [0, t_max = {}]", s.t_max));
    if (i > 0 && t < s.observation_times[i - 1])
      reject("observe.times", fmt::format("{}", t), "times must be sorted in increasing order");
  }
  validate(s.ablation, s.d, s.L);
  if (s.ablation.optimizer == OptimizerKind::adam && !s.ablation.single_lr && !(s.eta_W > 0))
    reject("train.eta_W", fmt::format("{}", s.eta_W),
           "with ablation.optimizer = \"adam\" the attention's step is adam_lr * eta_A / eta_W: eta_W must be > 0 "
           "(or set ablation.single_lr = true)");
}

}  // namespace cotdyn::simulation
