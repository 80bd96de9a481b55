#include <cotdyn/models/memory_check.hpp>

namespace cotdyn::models {

core::MemoryEstimate run_memory(const Model& model, const std::vector<core::Config>& configs) {
  core::MemoryEstimate largest;
  for (const auto& config : configs) {
    core::MemoryEstimate estimate = model.simulation_memory(config);
    if (estimate.total() > largest.total()) largest = std::move(estimate);
  }
  largest.parts.insert(largest.parts.begin(), core::MemoryPart{"this process now", core::resident_memory(), ""});
  return largest;
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
