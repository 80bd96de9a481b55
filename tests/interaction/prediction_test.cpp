#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include <cotdyn/interaction/prediction.hpp>
#include <cotdyn/interaction/rademacher_exact.hpp>
#include <cotdyn/interaction/slopes.hpp>

using namespace cotdyn::interaction;

namespace {
std::string error_of(const InteractionSettings& s) {
  try {
    validate(s);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("default settings are the default table and validate") {
  const InteractionSettings s;
  CHECK_NOTHROW(validate(s));
  CHECK(s.activations.size() == 9);
  CHECK(s.r.size() == 4);
  CHECK(s.T.size() == 5);
  CHECK(s.samples == 50000);
  CHECK(predict_rows(s).size() == 9 * 4 * 5);
}

TEST_CASE("bad settings name the config key") {
  InteractionSettings s;
  s.activations = {"tanh", "sigmoid"};
  CHECK(error_of(s).find("interaction.activations") != std::string::npos);
  CHECK(error_of(s).find("sigmoid") != std::string::npos);
  s = {};
  s.r = {1, 5};
  s.T = {4, 8};
  CHECK(error_of(s).find("interaction.T") != std::string::npos);  // r = 5 > T = 4
  s = {};
  s.T = {0};
  s.r = {1};
  CHECK(error_of(s).find("interaction.T") != std::string::npos);
  s = {};
  s.r = {0};
  CHECK(error_of(s).find("interaction.r") != std::string::npos);
  s = {};
  s.v.value = -1;
  CHECK(error_of(s).find("interaction.v") != std::string::npos);
  s = {};
  s.samples = 1;
  CHECK(error_of(s).find("interaction.samples") != std::string::npos);
  s = {};
  s.b = {std::nan("")};
  CHECK(error_of(s).find("interaction.b") != std::string::npos);
  CHECK_THROWS_WITH_AS(parse_token_law("uniform"), doctest::Contains("interaction.tokens"), std::invalid_argument);
}

TEST_CASE("prediction rows: columns, T = r cell, sqrt_T rule and Gaussian tokens") {
  InteractionSettings s;
  s.activations = {"tanh"};
  s.b = {0.5};
  s.r = {2, 4};
  s.T = {4, 16};
  const auto rows = predict_rows(s);
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].r == 2);
  CHECK(rows[0].T == 4);
  CHECK(rows[2].r == 4);
  CHECK(rows[2].T == 4);
  CHECK(rows[2].t_equals_r);
  CHECK(rows[2].delta_exact == 0.0);
  CHECK(rows[2].grad_norm == 0.0);
  CHECK(rows[3].delta_exact == doctest::Approx(4.870598e-05).epsilon(1e-6));
  CHECK(rows[3].tokens == "rademacher");
  CHECK(std::isnan(rows[3].delta_measured));

  s.tokens = TokenLaw::gaussian;
  s.v.sqrt_T = true;
  const auto g = predict_rows(s);
  CHECK(g[3].v == doctest::Approx(4.0));
  CHECK(g[3].delta_exact == g[3].delta_gauss);
  CHECK(std::isnan(g[3].delta_taylor));
}

TEST_CASE("slopes: exact fit of the default-style table gives about -r, symmetry zeros are left out") {
  InteractionSettings s;
  s.activations = {"tanh", "gelu"};
  s.b = {0.0};
  s.r = {1, 2, 3};
  s.T = {64, 128, 256, 512};
  const auto rows = predict_rows(s);
  const auto slopes = fit_slopes(rows, s.v);
  REQUIRE(slopes.size() == 6);
  CHECK(slopes[0].activation == "tanh");
  CHECK(slopes[0].r == 1);
  CHECK(slopes[0].slope_exact == doctest::Approx(-1.0).epsilon(0.01));
  CHECK(slopes[1].n_exact == 0);  // tanh, r = 2: exactly zero
  CHECK(std::isnan(slopes[1].slope_exact));
  CHECK(slopes[2].slope_exact == doctest::Approx(-3.0).epsilon(0.01));
  CHECK(slopes[4].slope_exact == doctest::Approx(-2.0).epsilon(0.01));  // gelu r = 2
  CHECK(slopes[2].slope_local_exact == doctest::Approx(-3.0).epsilon(0.005));
  CHECK(slopes[0].n_measured == 0);
  CHECK(slopes[0].v == "1");
}

TEST_CASE("measured slope: the fit recovers a known power law with its propagated uncertainty") {
  std::vector<InteractionRow> rows;
  for (int T : {8, 16, 32, 64}) {
    InteractionRow row = predict_cell(Activation::tanh, 0.5, ValueScale{}, TokenLaw::rademacher, 1, T);
    row.delta_measured = 0.1 * std::pow(T, -2.0);
    row.std_error = 0.01 * row.delta_measured;  // 1% error on each point
    rows.push_back(row);
  }
  const auto slopes = fit_slopes(rows, ValueScale{});
  REQUIRE(slopes.size() == 1);
  CHECK(slopes[0].n_measured == 4);
  CHECK(slopes[0].slope_measured == doctest::Approx(-2.0).epsilon(1e-12));
  // sigma_log = 0.01 at x = log T: 1/sqrt(sum (x - xbar)^2 / 0.01^2)
  const double xs[] = {std::log(8.0), std::log(16.0), std::log(32.0), std::log(64.0)};
  double xbar = 0, sxx = 0;
  for (double x : xs) xbar += x / 4;
  for (double x : xs) sxx += (x - xbar) * (x - xbar);
  CHECK(slopes[0].slope_measured_stderr == doctest::Approx(0.01 / std::sqrt(sxx)).epsilon(1e-12));
}
