#pragma once
// Thrown by theory-only code (built without LibTorch) that meets a setting only LibTorch can serve,
// e.g. the committee's theory started from each seed's initial weights. It is bad input for a
// theory-only build; the cotdyn program, which does not load LibTorch, hands such a run to
// cotdyn-torch instead (cli/libtorch.hpp). Thrown while validating, before anything is written.
#include <stdexcept>

namespace cotdyn::core {

struct LibTorchNeeded : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

}  // namespace cotdyn::core
