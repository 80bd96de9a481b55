#include <cotdyn/core/interrupt.hpp>

#include <csignal>
#include <cstdlib>

namespace cotdyn::core {

namespace {
std::atomic<bool> flag{false};
extern "C" void on_signal(int) {
  if (flag.exchange(true)) std::_Exit(130);
}
}  // namespace

std::atomic<bool>& interrupt_requested() { return flag; }

void install_interrupt_handler() {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
}

}  // namespace cotdyn::core
