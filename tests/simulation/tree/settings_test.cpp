// The tree simulator's settings (docs/models/tree.md §10): defaults, the theory's
// parameters, storage names, and messages that name the config key.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include <cotdyn/simulation/tree/settings.hpp>

using namespace cotdyn::simulation::tree;
namespace mf = cotdyn::meanfield::tree;

namespace {

std::string rejection(const TreeSettings& settings) {
  try {
    validate(settings);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "";
}

}  // namespace

TEST_CASE("tree settings: defaults are valid and map onto the theory's parameters") {
  TreeSettings s;
  CHECK(rejection(s).empty());
  CHECK(s.task == Task::forward);
  CHECK(s.H == 2);
  CHECK(s.eval_size == 1000);
  CHECK(s.head_epsilon(0) == 0.2);
  CHECK(s.head_epsilon(1) == -0.2);
  auto p = s.parameters();
  CHECK(p.task == mf::Task::forward);
  CHECK(p.H == 2);
  CHECK(p.eta == 10.0);
  CHECK(std::isinf(p.d));
  CHECK(s.parameters(true).d == 64.0);
  CHECK(s.parameters(true).kappa() == doctest::Approx(1 + 19.0 / 64));

  const auto b = default_settings(Task::backward);
  CHECK(rejection(b).empty());
  CHECK(b.H == 1);
  CHECK(b.parameters().task == mf::Task::backward);
  CHECK(b.head_epsilon(0) == 0.2);
  s.head_epsilons = {0.5, 0.1};
  CHECK(s.head_epsilon(1) == 0.1);

  CHECK(storage_from_string("tensor") == Storage::tensor);
  CHECK(storage_from_string(to_string(Storage::coefficients)) == Storage::coefficients);
  CHECK_THROWS_WITH_AS(storage_from_string("dense"), "tree.storage = \"dense\" is not allowed: use \"tensor\" or \"coefficients\"",
                       std::invalid_argument);
}

TEST_CASE("tree settings: a bad value is rejected naming its key, value and what is allowed") {
  struct Case {
    const char* expected;
    void (*change)(TreeSettings&);
  };
  const Case cases[] = {
      {"tree.D = 0 is not allowed: the tree depth must be an integer from 1 to 10", [](TreeSettings& s) { s.D = 0; }},
      {"tree.N = 14 is not allowed: it must be at least n_T = 2^(D+1) - 1 = 15 for D = 3", [](TreeSettings& s) { s.N = 14; }},
      {"tree.d = 0 is not allowed: it must be an integer >= 1", [](TreeSettings& s) { s.d = 0; }},
      {"tree.heads = 0", [](TreeSettings& s) { s.H = 0; }},
      {"tree.eta = 0 is not allowed: it must be finite and > 0", [](TreeSettings& s) { s.eta = 0; }},
      {"tree.eta = inf", [](TreeSettings& s) { s.eta = std::numeric_limits<double>::infinity(); }},
      {"tree.batch = 0", [](TreeSettings& s) { s.batch = 0; }},
      {"tree.epsilon = nan", [](TreeSettings& s) { s.epsilon = std::nan(""); }},
      {"tree.head_epsilons = [0.2] is not allowed: give exactly heads = 2 values", [](TreeSettings& s) { s.head_epsilons = {0.2}; }},
      {"tree.init_scale = -0.1 is not allowed: it must be finite and >= 0", [](TreeSettings& s) { s.init_scale = -0.1; }},
      {"tree.init_scale = 0.1 is not allowed: an iid init in coefficient storage is projected with G^-1, which needs d >= N",
       [](TreeSettings& s) {
         s.init_scale = 0.1;
         s.d = 16;
       }},
      {"tree.seeds = 0", [](TreeSettings& s) { s.seeds = 0; }},
      {"tree.eval_size = -1", [](TreeSettings& s) { s.eval_size = -1; }},
      {"tree.eval_size = 7000 is not allowed: it must be below the 5040 distinct labelled trees of N = 7, D = 2",
       [](TreeSettings& s) {
         s.N = 7;
         s.D = 2;
         s.eval_size = 7000;
       }},
      {"tree.threads = -2", [](TreeSettings& s) { s.threads = -2; }},
  };
  for (const auto& c : cases) {
    TreeSettings s;
    c.change(s);
    const auto message = rejection(s);
    INFO("message: " << message);
    CHECK(message.rfind(c.expected, 0) == 0);
  }
  TreeSettings tensor;
  tensor.storage = Storage::tensor;
  tensor.init_scale = 0.1;
  tensor.d = 16;
  CHECK(rejection(tensor).empty());  // the tensor storage holds any iid init
}
