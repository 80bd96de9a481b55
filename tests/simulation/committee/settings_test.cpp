// The simulator's settings (docs/models/committee.md §8.5): defaults, broadcasting of v0 and
// v_star, the theory's parameters, and messages that name the config key.
#include <doctest/doctest.h>

#include <limits>
#include <stdexcept>
#include <string>

#include <cotdyn/simulation/committee/settings.hpp>

using namespace cotdyn::simulation::committee;

namespace {

std::string rejection(const CommitteeSettings& settings) {
  try {
    validate(settings);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "";
}

}  // namespace

TEST_CASE("committee settings: defaults are valid and map onto the theory's parameters") {
  CommitteeSettings s;
  CHECK(rejection(s).empty());
  CHECK(s.N == 500);
  CHECK(s.test_size == 10000);
  s.K = 3;
  s.eta_v = 0.25;
  s.v_star = {0.5, 2.0};
  const auto p = s.parameters();
  CHECK(p.K == 3);
  CHECK(p.M == 2);
  CHECK(p.eta_v == 0.25);
  CHECK(p.v_star(1) == 2.0);
  CHECK(s.v0_vector().size() == 3);
  CHECK(s.v0_vector()(2) == 1.0);
  s.batch = 4;
  CHECK(s.parameters().batch == 4);  // the theory divides dQ's second-order term by it
}

TEST_CASE("committee settings: a CUDA device is refused naming committee.device where there is none") {
  if (cotdyn::simulation::cuda_available("committee.device")) return;  // nothing to refuse on a machine with a GPU
  CommitteeSettings s;
  s.device = cotdyn::simulation::DeviceKind::cuda;
  const auto message = rejection(s);
  INFO(message);
  CHECK(message.rfind("committee.device = \"cuda\" is not allowed: this build's LibTorch has no CUDA device", 0) == 0);
}

TEST_CASE("committee settings: a bad value is rejected naming its key, value and what is allowed") {
  struct Case {
    const char* expected;
    void (*change)(CommitteeSettings&);
  };
  const Case cases[] = {
      {"committee.N = 0 is not allowed: it must be an integer >= 1", [](CommitteeSettings& s) { s.N = 0; }},
      {"committee.K = -1", [](CommitteeSettings& s) { s.K = -1; }},
      {"committee.M = 0", [](CommitteeSettings& s) { s.M = 0; }},
      {"committee.eta = 0 is not allowed: it must be finite and > 0", [](CommitteeSettings& s) { s.eta = 0; }},
      {"committee.eta_v = -0.1", [](CommitteeSettings& s) { s.eta_v = -0.1; }},
      {"committee.sigma = -1", [](CommitteeSettings& s) { s.sigma = -1; }},
      {"committee.weight_decay = inf", [](CommitteeSettings& s) { s.kappa = std::numeric_limits<double>::infinity(); }},
      {"committee.init_scale = -0.5", [](CommitteeSettings& s) { s.init_scale = -0.5; }},
      {"committee.v0 = [1, 2, 3] is not allowed: give one value for every unit or exactly K = 2 values",
       [](CommitteeSettings& s) { s.v0 = {1, 2, 3}; }},
      {"committee.teacher_v = [] is not allowed", [](CommitteeSettings& s) { s.v_star = {}; }},
      {"committee.seeds = 0", [](CommitteeSettings& s) { s.seeds = 0; }},
      {"committee.test_size = 0", [](CommitteeSettings& s) { s.test_size = 0; }},
      {"committee.threads = -2", [](CommitteeSettings& s) { s.threads = -2; }},
      {"committee.batch = 0 is not allowed: it must be an integer >= 1", [](CommitteeSettings& s) { s.batch = 0; }},
  };
  for (const auto& c : cases) {
    CommitteeSettings s;
    c.change(s);
    const auto message = rejection(s);
    INFO(message);
    CHECK(message.rfind(c.expected, 0) == 0);
  }
}
