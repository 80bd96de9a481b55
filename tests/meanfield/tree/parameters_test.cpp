// Parameters and the order-parameter layout of the tree model (docs/models/tree.md §3-§4).
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include <cotdyn/meanfield/tree/parameters.hpp>

using namespace cotdyn::meanfield::tree;

namespace {
std::string error_of(const Parameters& p) {
  try {
    validate(p);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}
template <class Change>
Parameters with(Change change) {
  Parameters p;
  change(p);
  return p;
}
bool names(const std::string& message, const std::string& part) { return message.find(part) != std::string::npos; }
}  // namespace

TEST_CASE("each invalid parameter is refused with its field, its value and what is allowed") {
  CHECK(error_of(Parameters{}).empty());
  CHECK(names(error_of(with([](Parameters& p) { p.N = 14; })), "N = 14: the number of symbols must be at least n_T"));
  CHECK(names(error_of(with([](Parameters& p) { p.D = 4; })), "N = 20"));  // n_T = 31 > 20
  CHECK(names(error_of(with([](Parameters& p) { p.D = 0; })), "D = 0: the tree depth must be an integer from 1"));
  CHECK(names(error_of(with([](Parameters& p) { p.H = 0; })), "H = 0: the number of heads must be from 1"));
  CHECK(names(error_of(with([](Parameters& p) { p.eta = 0; })), "eta = 0: the learning rate must be positive"));
  CHECK(names(error_of(with([](Parameters& p) { p.eta = INFINITY; })), "eta = inf"));
  CHECK(names(error_of(with([](Parameters& p) { p.epsilon = NAN; })), "epsilon = nan"));
  CHECK(names(error_of(with([](Parameters& p) { p.head_epsilons = {0.1}; })), "head_epsilons has 1 entries"));
  CHECK(names(error_of(with([](Parameters& p) { p.head_epsilons = {0.1, NAN}; })), "head_epsilons contains nan"));
  CHECK(names(error_of(with([](Parameters& p) { p.d = 0.5; })), "d = 0.5: the embedding dimension must be at least 1"));
  CHECK(names(error_of(with([](Parameters& p) { p.d = NAN; })), "d = nan"));
  CHECK_THROWS_WITH_AS(validate(Tolerances{0.0, 1e-12}), doctest::Contains("rtol = 0"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(validate(Tolerances{1e-8, -1.0}), doctest::Contains("atol = -1"), std::invalid_argument);
}

TEST_CASE("defaults and sizes follow the model") {
  const Parameters b = default_parameters(Task::backward), f = default_parameters(Task::forward);
  CHECK(b.H == 1);
  CHECK(f.H == 2);
  CHECK(f.N == 20);
  CHECK(f.D == 3);
  CHECK(f.eta == 10.0);
  CHECK(f.epsilon == 0.2);
  CHECK(f.nodes() == 15);
  CHECK(f.edges() == 14);
  CHECK(f.queries() == 6);
  CHECK(b.queries() == 3);
  CHECK(f.tokens() == 20);
  CHECK(b.tokens() == 17);
  CHECK(f.kappa() == 1.0);
  Parameters finite = f;
  finite.d = 256;
  CHECK(finite.kappa() == 1.07421875);
  CHECK(finite.offdiagonal_factor() == 1.0);
  finite.offdiagonal_gram = true;
  CHECK(finite.offdiagonal_factor() == 1.00390625);
}

TEST_CASE("head asymmetries: +eps for one head, +eps and -eps for two, evenly spaced beyond, or explicit") {
  const Parameters b = default_parameters(Task::backward), f = default_parameters(Task::forward);
  CHECK(b.head_epsilon(0) == 0.2);
  CHECK(f.head_epsilon(0) == 0.2);
  CHECK(f.head_epsilon(1) == -0.2);
  Parameters three = f;
  three.H = 3;
  CHECK(three.head_epsilon(1) == 0.0);
  CHECK(three.head_epsilon(2) == -0.2);
  three.head_epsilons = {0.3, 0.1, -0.5};
  CHECK(three.head_epsilon(2) == -0.5);
}

TEST_CASE("the order-parameter vector order of the model") {
  CHECK(std::string(order_parameter_names[qk_index(0, 0, 0)]) == "a_BX");
  CHECK(std::string(order_parameter_names[qk_index(0, 1, 1)]) == "b_BY");
  CHECK(std::string(order_parameter_names[qk_index(1, 0, 0)]) == "a_FX");
  CHECK(std::string(order_parameter_names[qk_index(1, 1, 0)]) == "a_FY");
  CHECK(std::string(order_parameter_names[ov_index(0, 0)]) == "o_X");
  CHECK(std::string(order_parameter_names[ov_index(0, 1)]) == "r_X");
  CHECK(std::string(order_parameter_names[ov_index(1, 0)]) == "o_Y");
  CHECK(std::string(order_parameter_names[ov_index(1, 1)]) == "r_Y");
  for (int i = 0; i < per_head; ++i) CHECK(order_parameter_index(order_parameter_names[i]) == i);
  CHECK_THROWS_WITH_AS(order_parameter_index("c_BX"), doctest::Contains("\"c_BX\""), std::invalid_argument);
  const std::vector<double> x = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23};
  CHECK(head(x, 1)[ov_index(1, 0)] == 22.0);
  CHECK_THROWS_AS(head(x, 2), std::out_of_range);
  CHECK(head_column(0, "a_BX") == "head0_a_BX");
  CHECK(head_column(1, "m_F") == "head1_m_F");
}
