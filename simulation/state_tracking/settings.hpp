#pragma once
// Resolved settings of one simulation run (docs/theory.md sections 1-3). Torch-free: the CLI fills and validates
// it even in a theory-only build. Field names equal the config key names ([task], [model], [train]).
#include <cstdint>
#include <string>
#include <vector>

#include <cotdyn/simulation/device.hpp>
#include <cotdyn/simulation/schedule.hpp>
#include <cotdyn/simulation/state_tracking/ablation_settings.hpp>
#include <cotdyn/simulation/state_tracking/permutation_task.hpp>

namespace cotdyn::simulation {

enum class LogicStorage { coefficients, tensor };

// The config spelling of model.logic (model.dtype and model.device: device.hpp).
inline constexpr core::ChoiceNames<LogicStorage, 2> logic_storage_names{
    {{LogicStorage::coefficients, "coefficients"}, {LogicStorage::tensor, "tensor"}}};

// The config keys' defaults live in the embedded config only (core/default_config.toml plus the
// models' sections): settings are made by models::state_tracking::resolve_simulation_settings, and a
// default-constructed SimulationSettings holds zeros, not defaults. eval_sequences and eval_seed are
// fixed rules, not keys.
struct SimulationSettings {
  task::PermutationTask task;           // [task] group, actions (resolved: states, transition table)
  int L{};                              // [task] L: number of actions per sequence
  double label_noise{};                 // [task] label_noise: eps, training targets replaced by uniform states (docs/theory.md §16)
  int d{};                              // [model] d: embedding dimension
  double sigma2{};                      // [model] sigma2: init variance of q, k is sigma2/d per component
  LogicStorage logic{};                 // [model] logic
  Precision dtype{};                    // [model] dtype
  DeviceKind device{};                  // [model] device
  int threads{};                        // [model] threads: intra-op threads, 0 = core count (tensor) or 1 (coefficients)
  double eta_W{};                       // [train] eta_W: logic learning rate is eta_W / d
  double eta_A{};                       // [train] eta_A: attention learning rate is eta_A / d
  int batch{};                          // [train] batch: fresh sequences per SGD step
  double t_max{};                       // [train] t_max: run to step round(t_max * d)
  int seeds{};                          // [train] seeds: seeds trained at once
  std::uint64_t base_seed{};            // [train] seed: seed i uses base_seed + i
  std::vector<double> observation_times;  // [observe] times, resolved: sorted, in [0, t_max]
  int eval_sequences = 2000;            // fixed evaluation set (docs/theory.md §3)
  std::uint64_t eval_seed = 20260101;   // the same evaluation set for every training seed
  AblationSettings ablation;            // [ablation]: all off = the solvable model of docs/theory.md §2
};

// Throws std::invalid_argument naming the offending config key, its value and what is allowed, for the
// simulator's own keys (the keys shared with the ODE are checked by meanfield::validate).
void validate(const SimulationSettings& settings);

// The intra-op thread count of a run on `cores` cores: model.threads when > 0; otherwise all cores for
// the tensor storage, whose d^3 products parallelise, and one thread for the coefficient storage and the
// general model, whose operations are far below any parallel grain (extra OpenMP threads only
// spin-wait; BENCHMARKS.md). The coefficient storage's step runs that many seeds at once (SeedRunner):
// model.threads = 2 takes both cores for one run; the default 1 leaves the second core to the other
// sizes of a compare and the other points of a sweep.
int intra_op_threads(const SimulationSettings& settings, int cores);


// Default task of docs/theory.md §1: S4 with (0 1), (1 2), (2 3) and the 4-cycle.
task::PermutationTask default_permutation_task();

}  // namespace cotdyn::simulation
