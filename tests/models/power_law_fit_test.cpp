// The power-law fit of a finite-size scaling on data whose answers are known in closed form.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include <cotdyn/models/power_law_fit.hpp>

using cotdyn::models::fit_power_law;
using cotdyn::models::PowerLawFit;

TEST_CASE("power-law fit recovers a known exponent and prefactor exactly from exact data") {
  const std::vector<double> d = {16, 32, 64, 128};
  std::vector<double> error;
  for (double x : d) error.push_back(3.0 * std::pow(x, -0.5));
  const PowerLawFit fit = fit_power_law(d, error);
  CHECK(fit.exponent == doctest::Approx(-0.5).epsilon(1e-12));
  CHECK(fit.prefactor == doctest::Approx(3.0).epsilon(1e-12));
  CHECK(std::isfinite(fit.exponent_stderr));
  CHECK(fit.exponent_stderr < 1e-12);
}

TEST_CASE("power-law fit of noisy data: exact slope and the closed-form standard error of the slope") {
  // log(error) = log 2 - 0.75 log d + e, with residuals e = (+delta, -delta, -delta, +delta). Over
  // log d = log 16 + k log 2 (k = 0..3) these are orthogonal to 1 and k, so the least-squares slope and
  // prefactor are unchanged and the residuals are exactly e:
  //   stderr = sqrt(sum e^2 / (n - 2) / Sxx) = sqrt(4 delta^2 / 2 / (5 log^2 2)) = delta sqrt(2/5) / log 2.
  const double delta = 0.1;
  const std::vector<double> d = {16, 32, 64, 128};
  const std::vector<double> noise = {delta, -delta, -delta, delta};
  std::vector<double> error;
  for (std::size_t i = 0; i < d.size(); ++i) error.push_back(2.0 * std::pow(d[i], -0.75) * std::exp(noise[i]));
  const PowerLawFit fit = fit_power_law(d, error);
  CHECK(fit.exponent == doctest::Approx(-0.75).epsilon(1e-12));
  CHECK(fit.prefactor == doctest::Approx(2.0).epsilon(1e-12));
  REQUIRE(std::isfinite(fit.exponent_stderr));
  CHECK(fit.exponent_stderr == doctest::Approx(delta * std::sqrt(2.0 / 5.0) / std::log(2.0)).epsilon(1e-12));
}

TEST_CASE("power-law fit through two points has an exact slope and no standard error") {
  const PowerLawFit fit = fit_power_law({32, 128}, {0.2, 0.05});  // error ~ 1/d
  CHECK(fit.exponent == doctest::Approx(-1.0).epsilon(1e-14));
  CHECK(fit.prefactor == doctest::Approx(6.4).epsilon(1e-14));
  CHECK(std::isnan(fit.exponent_stderr));
}

TEST_CASE("power-law fit refuses fewer than two points and mismatched lengths") {
  CHECK_THROWS_AS(fit_power_law({64}, {0.1}), std::invalid_argument);
  CHECK_THROWS_AS(fit_power_law({}, {}), std::invalid_argument);
  CHECK_THROWS_AS(fit_power_law({16, 32, 64}, {0.1, 0.05}), std::invalid_argument);
}
