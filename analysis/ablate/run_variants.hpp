#pragma once
// Runs the study's training jobs (LibTorch; built only with COTDYN_WITH_TORCH): one job per variant
// and d, all of the variant's seeds batched in one simulation::train() call, jobs in parallel on
// oneTBB, largest d first. Jobs in flight and LibTorch's intra-op threads follow the sweep's rule
// (sweep::jobs_in_flight, sweep::intra_op_threads): (jobs in flight) x (intra-op threads) <= cores.
// A job that throws (for example a switch this build's simulator does not implement) is recorded as
// a failed run and the others go on; a stop request (Ctrl-C) ends the jobs in flight and starts no
// new one.
#include <atomic>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <cotdyn/analysis/ablate/ablation_study.hpp>
#include <cotdyn/core/config.hpp>
#include <cotdyn/simulation/state_tracking/settings.hpp>
#include <cotdyn/analysis/ablate/variants.hpp>

namespace cotdyn::ablate {

struct Job {
  std::size_t variant = 0;
  int d = 0;
  simulation::SimulationSettings settings;
};

// Every (variant, d) job with its resolved simulation settings. Throws std::invalid_argument naming
// the variant and d when a variant's config is invalid (e.g. a d the simulator rejects), before
// anything runs.
std::vector<Job> plan_jobs(const core::Config& base, const AblateSettings& settings);

struct RunnerOptions {
  int threads = 0;                                  // cores to use; 0 = all
  std::filesystem::path directory;                  // finished runs are saved in DIR/runs/ (empty: not saved)
  bool resume = false;                              // take the runs already saved in DIR/runs/
  const std::atomic<bool>* stop_requested = nullptr;
  std::function<void(const std::string&)> log;     // progress lines (called from worker threads, serialised)
};

struct RunnerOutcome {
  std::vector<VariantRun> runs;  // the jobs that finished or failed, in plan order
  bool interrupted = false;
  int resumed = 0;               // runs taken from DIR/runs/
  int workers = 0;               // jobs in flight at most
  int intra_op_threads = 0;      // of the largest job
  double seconds = 0;
};

RunnerOutcome run_variants(const AblateSettings& settings, std::vector<Job> jobs, const RunnerOptions& options);

}  // namespace cotdyn::ablate
