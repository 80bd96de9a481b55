#pragma once
// Memory before allocation: a run states what it will need (the arrays that grow with the config:
// parameters, gradients and optimiser state, evaluation sets and their temporaries), and a run that
// cannot fit is refused before anything is allocated or written, naming the estimate, the limit and
// the key to lower (README, "Failure modes"; docs/models.md, `simulation_memory`).
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cotdyn::core {

struct MemoryPart {
  std::string what;  // "logic tensors W (and gradients)"
  double bytes = 0;
  std::string key;   // the config key that makes it large ("model.d"), "" when none
};

struct MemoryEstimate {
  std::vector<MemoryPart> parts;
  double total() const;
  // The part with the most bytes that names a key ("" when none does).
  std::string key_to_lower() const;
  nlohmann::json to_json() const;
  // One line: "351 MB (evaluation temporaries 170 MB, ...)".
  std::string str() const;
};

// "1.5 GB", "351 MB", "12 kB" (decimal units).
std::string format_bytes(double bytes);

// What this process may still allocate: MemAvailable from /proc/meminfo, lowered by the cgroup's
// limit (v2 memory.max - memory.current, v1 limit - usage) when one is set; nullopt when neither can
// be read (then no check is made).
std::optional<double> available_memory();

// The resident size of this process now (the libraries, already allocated data), 0 when unknown.
double resident_memory();

// Training allocates and frees the same large temporaries at every step (evaluation logits, autograd
// buffers). glibc serves blocks above 32 MB with a fresh mmap and returns them on free, so each step
// would pay page faults on memory it had just released. This keeps such blocks in the heap (glibc's
// mmap and trim thresholds raised to 1 GiB), process-wide, set once; no effect on results.
void keep_large_blocks_in_heap();

// Throws std::invalid_argument when estimate.total() exceeds `available`: "CONTEXT needs an estimated
// X (parts), more than the Y available; lower KEY". `context` names the run ("train.seeds = 100000000").
void check_fits(const MemoryEstimate& estimate, double available, const std::string& context);

}  // namespace cotdyn::core
