#pragma once
// Ctrl-C (SIGINT) and SIGTERM set a flag that long runs poll, so they stop cleanly and keep what
// they finished. A second Ctrl-C exits at once.
#include <atomic>

namespace cotdyn::core {

std::atomic<bool>& interrupt_requested();
void install_interrupt_handler();

}  // namespace cotdyn::core
