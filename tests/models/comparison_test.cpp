// What compare hands a model (models/comparison.hpp): the seed mean and the ddof-0 seed standard
// deviation of a measured column, on two seeds whose answers are known.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include <cotdyn/models/comparison.hpp>

using namespace cotdyn;

namespace {
// One seed: column x = base + sign * spread at three times.
models::Trajectory seed(double sign) {
  models::Trajectory t;
  t.columns = {"t", "x"};
  const std::vector<double> base = {1.0, 2.0, 4.0}, spread = {0.0, 0.5, 1.5};
  for (std::size_t j = 0; j < base.size(); ++j) t.rows.push_back({double(j), base[j] + sign * spread[j]});
  return t;
}
}  // namespace

TEST_CASE("a compared size gives the seed mean and the ddof-0 seed standard deviation of a column") {
  models::ComparedSize size;
  size.size = 100;
  size.seeds = {0, 1};
  size.measured = {seed(-1), seed(+1)};
  CHECK(size.mean("x") == std::vector<double>{1.0, 2.0, 4.0});
  const auto sd = size.std_dev("x");  // ddof 1 would give sqrt(2) times these
  REQUIRE(sd.size() == 3);
  CHECK(sd[0] == 0.0);
  CHECK(sd[1] == doctest::Approx(0.5).epsilon(1e-15));
  CHECK(sd[2] == doctest::Approx(1.5).epsilon(1e-15));
  CHECK_THROWS_AS(size.mean("y"), std::out_of_range);
}

TEST_CASE("first reach and the median with not-learned seeds as infinity") {
  CHECK(models::first_reach({0, 50, 100}, {0.5, 0.96, 0.99}, 0.95) == 50);
  CHECK(std::isnan(models::first_reach({0, 50}, {0.5, 0.6}, 0.95)));
  const double nl = std::nan("");
  CHECK(models::median_with_unreached({300, nl, 200}) == 300);
  CHECK(std::isnan(models::median_with_unreached({300, nl, nl})));
}

