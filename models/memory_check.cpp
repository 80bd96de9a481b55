#include <cotdyn/models/memory_check.hpp>

#include <algorithm>

#include <fmt/format.h>

namespace cotdyn::models {

core::MemoryEstimate run_memory(const Model& model, const std::vector<core::Config>& configs, int at_once) {
  std::vector<std::pair<const core::Config*, core::MemoryEstimate>> estimates;
  for (const auto& config : configs) estimates.emplace_back(&config, model.simulation_memory(config));
  std::stable_sort(estimates.begin(), estimates.end(),
                   [](const auto& a, const auto& b) { return a.second.total() > b.second.total(); });
  core::MemoryEstimate combined;
  if (at_once <= 1 || estimates.size() <= 1) {
    if (!estimates.empty()) combined = estimates.front().second;
  } else {
    // The runs in memory together at worst: the at_once largest, each part named with its size.
    for (std::size_t k = 0; k < estimates.size() && k < static_cast<std::size_t>(at_once); ++k)
      for (auto part : estimates[k].second.parts) {
        part.what = fmt::format("{} = {}: {}", model.size_column(), model.size_value(*estimates[k].first), part.what);
        combined.parts.push_back(std::move(part));
      }
  }
  combined.parts.insert(combined.parts.begin(), core::MemoryPart{"this process now", core::resident_memory(), ""});
  return combined;
}

void check_run_memory(const std::string& command, const core::MemoryEstimate& estimate) {
  if (const auto available = core::available_memory()) core::check_fits(estimate, *available, command);
}

nlohmann::json memory_json(const core::MemoryEstimate& estimate) {
  nlohmann::json record = estimate.to_json();
  const auto available = core::available_memory();
  record["available_bytes"] = available ? nlohmann::json(*available) : nlohmann::json(nullptr);
  return record;
}

}  // namespace cotdyn::models
