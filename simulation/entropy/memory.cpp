#include <cotdyn/simulation/entropy/memory.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include <cotdyn/simulation/state_tracking/memory.hpp>

namespace cotdyn::simulation::entropy {

// Every variant's weights (its own count without the measurement's temporaries) and its Jensen gap's
// summed distributions [seeds, evaluation queries, n] (float64) live side by side. The measurement's
// temporaries (the state-tracking count's evaluation parts, and the Jensen snapshot's softmax beside
// the sums) are held by at most two variants at once (two workers, as the two-hop arms count), the
// largest.
core::MemoryEstimate memory_estimate(const EntropySettings& settings) {
  core::MemoryEstimate estimate;
  const auto& b = settings.base;
  const double queries = double(b.eval_sequences) * b.L, n = b.task.num_states();
  const auto temporary = [](const std::string& what) {
    return what.rfind("evaluation", 0) == 0 || what == "entropy and bypass probes" || what == "MLP gates";
  };
  const auto variants = variants_of(settings);
  std::vector<double> temporaries;
  for (const auto& v : variants) {
    double held = 0;
    for (const auto& part : simulation::memory_estimate(v.run).parts) {
      if (temporary(part.what))
        held += part.bytes;
      else
        estimate.parts.push_back({v.name + ": " + part.what, part.bytes, "entropy.d or train.seeds"});
    }
    temporaries.push_back(held + 2 * b.seeds * queries * n * 8);
  }
  std::sort(temporaries.rbegin(), temporaries.rend());
  double measuring = 0;
  for (std::size_t i = 0; i < temporaries.size() && i < 2; ++i) measuring += temporaries[i];
  estimate.parts.push_back({"Jensen gap sums", double(variants.size()) * b.seeds * queries * n * 8, "train.seeds"});
  estimate.parts.push_back({"measurement temporaries (two variants at once)", measuring, "train.seeds or entropy.d"});
  return estimate;
}

}  // namespace cotdyn::simulation::entropy
