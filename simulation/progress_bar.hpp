#pragma once
// Progress of a long run on stderr: an updating bar with steps, rate and ETA on a terminal, plain
// lines (about every 5 %) otherwise. Torch-free.
#include <chrono>
#include <cstdint>
#include <string>

namespace cotdyn::simulation {

class ProgressBar {
 public:
  ProgressBar(std::string label, std::int64_t first_step, std::int64_t total_steps, bool enabled);
  void update(std::int64_t step);  // cheap when nothing needs printing
  void finish(const std::string& note);

 private:
  void print(std::int64_t step, bool final);

  std::string label_;
  std::int64_t first_step_, total_steps_;
  bool enabled_, terminal_;
  std::chrono::steady_clock::time_point start_, last_print_;
  std::int64_t last_percent_step_ = -1;
  std::int64_t current_step_ = 0;
};

}  // namespace cotdyn::simulation
