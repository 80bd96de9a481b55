#pragma once
// The one rule for training a model's seeds on several threads: f(e) for every seed e = 0..seeds-1, at
// most `threads` at a time on oneTBB (threads <= 0: every core). Seeds share nothing they write, so the
// result does not depend on `threads`. The oneTBB arena lives as long as the runner: building one per
// call (and with it oneTBB's workers, when no other arena holds them) costs more than a training step.
// Torch-free.
#include <functional>
#include <memory>

namespace cotdyn::simulation {

class SeedRunner {
 public:
  explicit SeedRunner(int threads);
  ~SeedRunner();
  SeedRunner(SeedRunner&&) noexcept;
  SeedRunner& operator=(SeedRunner&&) noexcept;
  void operator()(int seeds, const std::function<void(int)>& f);

 private:
  struct Arena;
  std::unique_ptr<Arena> arena_;
};

// One call of a SeedRunner(threads).
void for_each_seed(int seeds, int threads, const std::function<void(int)>& f);

}  // namespace cotdyn::simulation
