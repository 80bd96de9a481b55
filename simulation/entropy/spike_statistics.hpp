#pragma once
// Training instability against dead neurons (prediction P-a5, docs/models/entropy.md), per seed of an
// instability run, from two traces: the training loss of every step and the dead fraction of the MLP's
// units on a small probe set every few steps. Torch-free.
//  * A spike is a step whose loss exceeds kSpikeFactor times the median of the kMedianSteps steps
//    before it (only steps with that many before them can spike: the eligible steps).
//  * A dead-fraction jump is a probe whose dead fraction exceeds the previous probe's by more than
//    kJump (an increase: units dying).
//  * A spike co-occurs with a jump when a jump lies within +-kJumpWindow steps of it.
//  * The time-shuffled baseline draws the same number of spike times uniformly without replacement
//    from the eligible steps: the number of co-occurring spikes is then hypergeometric, with mean
//    spikes x covered / eligible (covered: eligible steps within +-kJumpWindow of a jump); p_shuffled
//    is its upper tail P(X >= cooccurring).
#include <cstdint>
#include <vector>

namespace cotdyn::simulation::entropy {

inline constexpr double kSpikeFactor = 2.0;
inline constexpr int kMedianSteps = 50;
inline constexpr double kJump = 0.02;
inline constexpr int kJumpWindow = 20;

struct SpikeStatistics {
  int spikes = 0;
  int cooccurring = 0;
  double shuffled = 0;    // expected co-occurring spikes under the shuffle
  double p_shuffled = 1;  // P(X >= cooccurring) under the shuffle
  int jumps = 0;
  int eligible = 0;
  int covered = 0;
};

// Steps (indices of `loss`) that spike.
std::vector<std::int64_t> loss_spikes(const std::vector<double>& loss);
// Probe steps at which the dead fraction jumped.
std::vector<std::int64_t> dead_jumps(const std::vector<std::int64_t>& probe_steps, const std::vector<double>& dead);
// P(X >= k) for X hypergeometric: `draws` draws without replacement from `population` items of which
// `marked` are marked.
double hypergeometric_upper_tail(int population, int marked, int draws, int k);

SpikeStatistics spike_statistics(const std::vector<double>& loss, const std::vector<std::int64_t>& probe_steps,
                                 const std::vector<double>& dead);

}  // namespace cotdyn::simulation::entropy
