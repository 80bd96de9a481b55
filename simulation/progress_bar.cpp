#include <cotdyn/simulation/progress_bar.hpp>

#include <cstdio>

#include <fmt/format.h>
#include <unistd.h>

namespace cotdyn::simulation {

ProgressBar::ProgressBar(std::string label, std::int64_t first_step, std::int64_t total_steps, bool enabled)
    : label_(std::move(label)),
      first_step_(first_step),
      total_steps_(total_steps),
      enabled_(enabled),
      terminal_(isatty(fileno(stderr)) != 0),
      start_(std::chrono::steady_clock::now()),
      last_print_(start_),
      current_step_(first_step) {}

void ProgressBar::update(std::int64_t step) {
  current_step_ = step;
  if (!enabled_) return;
  if (terminal_) {
    if ((step & 63) != 0 && step != total_steps_) return;  // look at the clock rarely
    const auto now = std::chrono::steady_clock::now();
    if (now - last_print_ < std::chrono::milliseconds(200) && step != total_steps_) return;
    last_print_ = now;
    print(step, false);
  } else {
    const std::int64_t every = std::max<std::int64_t>(1, total_steps_ / 20);
    if (step / every == last_percent_step_ / every && last_percent_step_ >= 0) return;
    last_percent_step_ = step;
    print(step, false);
  }
}

void ProgressBar::print(std::int64_t step, bool final) {
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = elapsed > 0 ? (step - first_step_) / elapsed : 0.0;
  const double eta = rate > 0 ? (total_steps_ - step) / rate : 0.0;
  const double fraction = total_steps_ > 0 ? static_cast<double>(step) / total_steps_ : 1.0;
  const std::string numbers = fmt::format("{} {}/{} steps  {:.0f} steps/s  elapsed {:.1f} s  ETA {:.1f} s", label_,
                                          step, total_steps_, rate, elapsed, eta);
  if (terminal_) {
    const int width = 30, filled = static_cast<int>(fraction * width);
    fmt::print(stderr, "\r[{}{}] {:3.0f}% {}\x1b[K{}", std::string(filled, '#'), std::string(width - filled, '.'),
               100 * fraction, numbers, final ? "\n" : "");
  } else {
    fmt::print(stderr, "{:3.0f}% {}\n", 100 * fraction, numbers);
  }
  std::fflush(stderr);
}

void ProgressBar::finish(const std::string& note) {
  if (!enabled_) return;
  print(current_step_, false);
  fmt::print(stderr, "{}{}\n", terminal_ ? "\n" : "", note);
}

}  // namespace cotdyn::simulation
