#pragma once
// A theory whose solution leaves its stable range because of the config (the committee machine's
// learning rate above the stable range, docs/models/committee.md §5.1). It is bad input, a
// std::invalid_argument naming the key (the CLI exits with status 2), and also a divergence, so that a
// caller can tell it from other bad input: the Python module raises cotdyn.DivergenceError, which is
// both a ValueError and a RuntimeError.
#include <stdexcept>

namespace cotdyn::models {

struct DivergentTheory : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

}  // namespace cotdyn::models
