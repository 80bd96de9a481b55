#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include <cotdyn/simulation/transformer/settings.hpp>

using namespace cotdyn::simulation::transformer;

namespace {
std::string message_of(const TransformerSettings& s) {
  try {
    validate(s, "natbool");
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("transformer settings: heads must divide d, and the error names the key and the value") {
  TransformerSettings s;
  CHECK(message_of(s).empty());
  s.heads = 5;
  CHECK(message_of(s).find("natbool.heads = 5") != std::string::npos);
  s = {};
  s.d = 0;
  CHECK(message_of(s).find("natbool.d = 0") != std::string::npos);
  s = {};
  s.outputs = -1;
  CHECK(message_of(s).find("natbool.outputs") != std::string::npos);
}

TEST_CASE("optimizer settings: the warm-up is linear over warmup_steps, then constant") {
  OptimizerSettings s;
  s.lr = 1e-3;
  CHECK(learning_rate(s, 0) == 1e-3);
  s.warmup_steps = 4;
  CHECK(learning_rate(s, 0) == doctest::Approx(0.25e-3));
  CHECK(learning_rate(s, 1) == doctest::Approx(0.5e-3));
  CHECK(learning_rate(s, 3) == doctest::Approx(1e-3));
  CHECK(learning_rate(s, 100) == doctest::Approx(1e-3));
  s.clip_norm = -1;
  CHECK_THROWS_AS(validate(s, "two_hop"), std::invalid_argument);
}
