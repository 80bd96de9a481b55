// Parameters and state: flat packing, covariance layout, and errors that name the bad field.
#include <doctest/doctest.h>

#include <limits>
#include <stdexcept>
#include <string>

#include <cotdyn/meanfield/committee/parameters.hpp>

using namespace cotdyn::meanfield::committee;

namespace {

State example_state() {  // K = 3, M = 2
  State s{Eigen::MatrixXd(3, 3), Eigen::MatrixXd(3, 2), Eigen::MatrixXd::Identity(2, 2), Eigen::VectorXd(3)};
  s.Q << 0.5, 0.1, 0.2, 0.1, 0.3, 0.05, 0.2, 0.05, 0.4;
  s.R << 0.1, 0.02, 0.01, 0.05, 0.03, 0.04;
  s.v << 1.0, 0.7, -0.2;
  return s;
}

template <class Change>
std::string parameter_error(Change change) {
  Parameters p;
  change(p);
  try {
    validate(p);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

template <class Change>
std::string state_error(Change change) {
  Parameters p;
  p.K = 3;
  State s = example_state();
  change(s);
  try {
    validate(s, p);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("pack lays out Q's upper triangle, then R row by row, then v, and unpack inverts it") {
  const State s = example_state();
  const std::vector<double> x = pack(s);
  REQUIRE(x.size() == packed_size(3, 2));
  CHECK(x.size() == 6 + 6 + 3);
  CHECK(x[0] == 0.5);   // Q_0_0
  CHECK(x[1] == 0.1);   // Q_0_1
  CHECK(x[2] == 0.2);   // Q_0_2
  CHECK(x[3] == 0.3);   // Q_1_1
  CHECK(x[5] == 0.4);   // Q_2_2
  CHECK(x[6] == 0.1);   // R_0_0
  CHECK(x[9] == 0.05);  // R_1_1
  CHECK(x[12] == 1.0);  // v_0
  const State back = unpack(x, 3, s.T);
  CHECK(back.Q == s.Q);
  CHECK(back.R == s.R);
  CHECK(back.T == s.T);
  CHECK(back.v == s.v);
  CHECK_THROWS_AS(unpack(std::vector<double>(14), 3, s.T), std::invalid_argument);
}

TEST_CASE("the field covariance is [[Q, R], [R^T, T]]") {
  const State s = example_state();
  const Eigen::MatrixXd C = covariance(s);
  REQUIRE(C.rows() == 5);
  CHECK(C(0, 2) == 0.2);
  CHECK(C(1, 3) == s.R(1, 0));
  CHECK(C(4, 2) == s.R(2, 1));
  CHECK(C(3, 3) == 1.0);
  CHECK(C(3, 4) == 0.0);
}

TEST_CASE("the defaults are valid and activations convert to and from their names") {
  CHECK_NOTHROW(validate(Parameters{}));
  CHECK(activation_from_string("erf") == Activation::erf);
  CHECK(activation_from_string(to_string(Activation::linear)) == Activation::linear);
  try {
    activation_from_string("relu");
    FAIL("relu was accepted");
  } catch (const std::invalid_argument& e) {
    CHECK(contains(e.what(), "activation = \"relu\""));
    CHECK(contains(e.what(), "\"erf\" or \"linear\""));
  }
}

TEST_CASE("each invalid parameter is named with its value and what is allowed") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK(contains(parameter_error([](Parameters& p) { p.M = 0; }), "M = 0"));
  CHECK(contains(parameter_error([](Parameters& p) { p.K = -1; }), "K = -1"));
  CHECK(contains(parameter_error([](Parameters& p) { p.eta = 0; }), "eta = 0 is not allowed: it must be finite and > 0"));
  CHECK(contains(parameter_error([](Parameters& p) { p.eta_v = -0.5; }), "eta_v = -0.5"));
  CHECK(contains(parameter_error([nan](Parameters& p) { p.sigma = nan; }), "sigma = nan"));
  CHECK(contains(parameter_error([](Parameters& p) { p.kappa = -1; }), "kappa = -1 is not allowed: it must be finite and >= 0"));
  CHECK(contains(parameter_error([](Parameters& p) { p.M = 3; }), "v_star has 2 entries, but M = 3"));
  CHECK(contains(parameter_error([nan](Parameters& p) { p.v_star(1) = nan; }), "v_star"));
  CHECK(parameter_error([](Parameters& p) { p.eta_v = 0.5; p.sigma = 0.1; p.kappa = 0.01; }).empty());
}

TEST_CASE("invalid states are rejected with the offending matrix named") {
  CHECK(state_error([](State&) {}).empty());
  CHECK(contains(state_error([](State& s) { s.Q = Eigen::MatrixXd::Identity(2, 2); }), "Q is 2x2, but K x K = 3x3"));
  CHECK(contains(state_error([](State& s) { s.R = Eigen::MatrixXd::Zero(3, 3); }), "R is 3x3, but K x M = 3x2"));
  CHECK(contains(state_error([](State& s) { s.v = Eigen::VectorXd::Ones(2); }), "v has 2 entries, but K = 3"));
  CHECK(contains(state_error([](State& s) { s.Q(0, 1) = 0.3; }), "Q is not symmetric"));
  CHECK(contains(state_error([](State& s) { s.R(0, 0) = 0.9; }), "positive semi-definite"));
  CHECK(contains(state_error([](State& s) { s.T(0, 0) = -1; }), "positive semi-definite"));
}
