#pragma once
// The memory check every simulating command makes before it allocates or writes anything (README,
// "Failure modes"): the model's estimate (Model::simulation_memory) plus what this process already
// holds, against what the machine (or the cgroup of a cluster job) has available.
#include <string>
#include <vector>

#include <cotdyn/core/config.hpp>
#include <cotdyn/core/memory.hpp>
#include <cotdyn/models/model.hpp>

namespace cotdyn::models {

// The estimate of one run at each of `configs` (compare's sizes), with the process's resident size
// now as its first part: run one after another (at_once = 1), the largest; run at_once at a time, the
// sum of the at_once largest.
core::MemoryEstimate run_memory(const Model& model, const std::vector<core::Config>& configs, int at_once = 1);

// Throws std::invalid_argument (exit status 2) when the estimate exceeds the available memory, naming
// the command, the estimate and its parts, the limit and the key to lower. No check where the
// available memory cannot be read.
void check_run_memory(const std::string& command, const core::MemoryEstimate& estimate);

// The manifest's record: the estimate and the memory available when the run started.
nlohmann::json memory_json(const core::MemoryEstimate& estimate);

}  // namespace cotdyn::models
