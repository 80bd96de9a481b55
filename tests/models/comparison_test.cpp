// What compare hands a model (models/comparison.hpp): the seed mean and the ddof-0 seed standard
// deviation of a measured column, on two seeds whose answers are known.
#include <doctest/doctest.h>

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
