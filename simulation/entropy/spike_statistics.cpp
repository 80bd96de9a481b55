#include <cotdyn/simulation/entropy/spike_statistics.hpp>

#include <algorithm>
#include <cmath>

namespace cotdyn::simulation::entropy {

std::vector<std::int64_t> loss_spikes(const std::vector<double>& loss) {
  std::vector<std::int64_t> out;
  std::vector<double> window;
  for (std::size_t s = kMedianSteps; s < loss.size(); ++s) {
    window.assign(loss.begin() + static_cast<std::ptrdiff_t>(s - kMedianSteps), loss.begin() + static_cast<std::ptrdiff_t>(s));
    // The median of an even count: the mean of the two middle values.
    std::sort(window.begin(), window.end());
    const double median = 0.5 * (window[kMedianSteps / 2 - 1] + window[kMedianSteps / 2]);
    if (loss[s] > kSpikeFactor * median) out.push_back(static_cast<std::int64_t>(s));
  }
  return out;
}

std::vector<std::int64_t> dead_jumps(const std::vector<std::int64_t>& probe_steps, const std::vector<double>& dead) {
  std::vector<std::int64_t> out;
  for (std::size_t i = 1; i < dead.size() && i < probe_steps.size(); ++i)
    if (dead[i] - dead[i - 1] > kJump) out.push_back(probe_steps[i]);
  return out;
}

double hypergeometric_upper_tail(int population, int marked, int draws, int k) {
  if (k <= 0) return 1.0;
  const auto log_choose = [](int n, int r) {
    return std::lgamma(n + 1.0) - std::lgamma(r + 1.0) - std::lgamma(n - r + 1.0);
  };
  double tail = 0;
  const int top = std::min(marked, draws);
  for (int x = k; x <= top; ++x) {
    if (draws - x > population - marked) continue;
    tail += std::exp(log_choose(marked, x) + log_choose(population - marked, draws - x) - log_choose(population, draws));
  }
  return std::min(1.0, tail);
}

SpikeStatistics spike_statistics(const std::vector<double>& loss, const std::vector<std::int64_t>& probe_steps,
                                 const std::vector<double>& dead) {
  SpikeStatistics out;
  const auto spikes = loss_spikes(loss);
  const auto jumps = dead_jumps(probe_steps, dead);
  out.spikes = static_cast<int>(spikes.size());
  out.jumps = static_cast<int>(jumps.size());
  const auto near_jump = [&](std::int64_t s) {
    return std::any_of(jumps.begin(), jumps.end(), [&](std::int64_t j) { return std::abs(j - s) <= kJumpWindow; });
  };
  for (auto s : spikes) out.cooccurring += near_jump(s) ? 1 : 0;
  for (std::int64_t s = kMedianSteps; s < static_cast<std::int64_t>(loss.size()); ++s) {
    ++out.eligible;
    out.covered += near_jump(s) ? 1 : 0;
  }
  out.shuffled = out.eligible > 0 ? double(out.spikes) * out.covered / out.eligible : 0.0;
  out.p_shuffled = hypergeometric_upper_tail(out.eligible, out.covered, out.spikes, out.cooccurring);
  return out;
}

}  // namespace cotdyn::simulation::entropy
