// Bad theory inputs give errors that name the key and the value.
#include <doctest/doctest.h>

#include <limits>
#include <stdexcept>
#include <string>

#include <cotdyn/meanfield/state_tracking/solver.hpp>

using namespace cotdyn::meanfield;

namespace {
std::string error_of(const ModelParameters& p) {
  try {
    validate(p);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}
ModelParameters with(void (*change)(ModelParameters&)) {
  ModelParameters p;
  change(p);
  return p;
}
}  // namespace

TEST_CASE("each invalid model parameter is named in its error") {
  CHECK(error_of(with([](ModelParameters& p) { p.K = 1; })).find("task.K = 1") != std::string::npos);
  CHECK(error_of(with([](ModelParameters& p) { p.K = 24; })).find("at most n - 1 = 23") != std::string::npos);
  CHECK(error_of(with([](ModelParameters& p) { p.L = 1; })).find("task.L = 1") != std::string::npos);
  CHECK(error_of(with([](ModelParameters& p) { p.eta_W = 0; })).find("train.eta_W = 0") != std::string::npos);
  CHECK(error_of(with([](ModelParameters& p) { p.eta_A = -1; })).find("train.eta_A = -1") != std::string::npos);
  CHECK(error_of(with([](ModelParameters& p) { p.sigma2 = 0; })).find("model.sigma2 = 0") != std::string::npos);
  CHECK(error_of(ModelParameters{}).empty());
}

TEST_CASE("a label noise outside 0 <= eps < 1 is refused, naming the key, the value and the range") {
  const auto noise_error = [](double eps) {
    ModelParameters p;
    p.label_noise = eps;
    return error_of(p);
  };
  for (double eps : {-0.1, 1.0, 1.5, std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()}) {
    const std::string message = noise_error(eps);
    CAPTURE(eps);
    CHECK(message.find("task.label_noise = ") != std::string::npos);
    CHECK(message.find("[0, 1)") != std::string::npos);
  }
  CHECK(noise_error(-0.1).find("task.label_noise = -0.1") != std::string::npos);
  CHECK(noise_error(1.0).find("task.label_noise = 1") != std::string::npos);
  CHECK(noise_error(0.0).empty());
  CHECK(noise_error(0.999).empty());
}

TEST_CASE("a count-vector enumeration too large to be practical is refused, saying by how much") {
  const std::string message = error_of(with([](ModelParameters& p) {
    p.n = 5040;
    p.K = 12;
    p.L = 40;
  }));
  CHECK(message.find("count vectors") != std::string::npos);
  CHECK(message.find("times the practical limit") != std::string::npos);
}

TEST_CASE("bad tolerances are refused") {
  CHECK_THROWS_WITH_AS(validate(Tolerances{0.0, 1e-12}), doctest::Contains("theory.rtol"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(validate(Tolerances{1e-8, -1.0}), doctest::Contains("theory.atol"), std::invalid_argument);
}

TEST_CASE("an integration that becomes non-finite reports the time and the state") {
  ModelParameters p;
  p.eta_W = 1e306;  // the first step already overflows
  p.eta_A = 1e306;
  CHECK_THROWS_WITH_AS(solve(MeanFieldOde(p), {0.0, 100.0}), doctest::Contains("non-finite at t ="),
                       std::runtime_error);
}
