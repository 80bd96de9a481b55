#include <cotdyn/simulation/seed_runner.hpp>

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

namespace cotdyn::simulation {

struct SeedRunner::Arena {
  explicit Arena(int threads) : arena(threads > 0 ? threads : oneapi::tbb::task_arena::automatic) {}
  oneapi::tbb::task_arena arena;
};

SeedRunner::SeedRunner(int threads) {
  if (threads != 1) arena_ = std::make_unique<Arena>(threads);
}

SeedRunner::~SeedRunner() = default;
SeedRunner::SeedRunner(SeedRunner&&) noexcept = default;
SeedRunner& SeedRunner::operator=(SeedRunner&&) noexcept = default;

void SeedRunner::operator()(int seeds, const std::function<void(int)>& f) {
  if (!arena_ || seeds <= 1) {
    for (int e = 0; e < seeds; ++e) f(e);
    return;
  }
  arena_->arena.execute([&] { oneapi::tbb::parallel_for(0, seeds, [&](int e) { f(e); }); });
}

void for_each_seed(int seeds, int threads, const std::function<void(int)>& f) {
  SeedRunner runner(threads);
  runner(seeds, f);
}

}  // namespace cotdyn::simulation
