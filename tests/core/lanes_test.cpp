#include <cotdyn/core/lanes.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include <doctest/doctest.h>

// 64-byte Lanes by value: GCC's note on their calling convention (core/lanes.hpp) is moot here.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

using cotdyn::core::exp_in_place;
using cotdyn::core::exp_lanes;
using cotdyn::core::Lanes;
using cotdyn::core::lanes_of;

namespace {

// Distance in units in the last place between two finite positive doubles.
std::int64_t ulps(double a, double b) {
  std::int64_t x, y;
  std::memcpy(&x, &a, sizeof x);
  std::memcpy(&y, &b, sizeof y);
  return x > y ? x - y : y - x;
}

}  // namespace

TEST_CASE("exp_lanes is within 1 ulp of std::exp from -708 to 709") {
  constexpr std::int64_t lanes = lanes_of<double>;
  std::int64_t worst = 0;
  double worst_at = 0;
  const int points = 400000;
  for (int i = 0; i < points; i += lanes) {
    double x[lanes], y[lanes];
    for (std::int64_t j = 0; j < lanes; ++j) x[j] = -708.0 + 1417.0 * static_cast<double>(i + j) / (points - 1);
    Lanes<double>::type v;
    std::memcpy(&v, x, sizeof v);
    v = exp_lanes(v);
    std::memcpy(y, &v, sizeof v);
    for (std::int64_t j = 0; j < lanes; ++j)
      if (ulps(y[j], std::exp(x[j])) > worst) {
        worst = ulps(y[j], std::exp(x[j]));
        worst_at = x[j];
      }
  }
  INFO("worst at x = " << worst_at);
  CHECK(worst <= 1);
}

TEST_CASE("exp_lanes is exact where e^x is a power of two, 0 below -708 and infinite above 709") {
  double x[8] = {0.0, -709.0, -1000.0, 710.0, 1.0, -1.0, std::log(2.0), -745.2};
  Lanes<double>::type v;
  std::memcpy(&v, x, sizeof v);
  v = exp_lanes(v);
  double y[8];
  std::memcpy(y, &v, sizeof v);
  CHECK(y[0] == 1.0);
  CHECK(y[1] == 0.0);
  CHECK(y[2] == 0.0);
  CHECK(y[3] == std::numeric_limits<double>::infinity());
  CHECK(ulps(y[4], std::exp(1.0)) <= 1);
  CHECK(ulps(y[5], std::exp(-1.0)) <= 1);
  CHECK(ulps(y[6], 2.0) <= 1);
  CHECK(y[7] == 0.0);
}

TEST_CASE("exp_in_place gives every length the lanes' values, the tail included") {
  for (std::int64_t count = 1; count <= 3 * lanes_of<double> + 1; ++count) {
    std::vector<double> values(static_cast<std::size_t>(count)), expected(values.size());
    for (std::int64_t i = 0; i < count; ++i) values[i] = -0.37 * static_cast<double>(i) + 0.5;
    for (std::int64_t i = 0; i < count; ++i) {
      Lanes<double>::type v = {};
      v[0] = values[i];
      expected[i] = exp_lanes(v)[0];
    }
    exp_in_place(values.data(), count);
    CHECK(values == expected);
  }
}
