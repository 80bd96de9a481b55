// The memory of compare's sizes (models/memory_check.hpp): one after another the largest run's
// estimate; side by side the sum of the runs that are in memory together, each part named by its
// size. Both start with the process's resident size.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <cotdyn/models/memory_check.hpp>
#include <cotdyn/models/registry.hpp>

using namespace cotdyn;

namespace {
core::Config committee_at(int N) {
  models::all_models();
  core::Config config;
  config.apply_set("model.kind=committee");
  config.apply_set("committee.N=" + std::to_string(N));
  return config;
}
}  // namespace

TEST_CASE("compare's memory: the largest size one after another, the largest ones summed side by side") {
  const std::vector<core::Config> sizes = {committee_at(250), committee_at(2000), committee_at(1000)};
  const auto& model = models::model_for(sizes.front());
  const double n250 = model.simulation_memory(sizes[0]).total(), n2000 = model.simulation_memory(sizes[1]).total(),
               n1000 = model.simulation_memory(sizes[2]).total();
  REQUIRE(n2000 > n1000);
  REQUIRE(n1000 > n250);
  const auto one = models::run_memory(model, sizes), two = models::run_memory(model, sizes, 2),
             all = models::run_memory(model, sizes, 5);
  REQUIRE(!one.parts.empty());
  CHECK(one.parts.front().what == "this process now");
  const double resident = one.parts.front().bytes;
  // The resident size is read again by each call; it moves by little between them.
  CHECK(one.total() - resident == doctest::Approx(n2000));
  CHECK(two.total() - two.parts.front().bytes == doctest::Approx(n2000 + n1000));
  CHECK(all.total() - all.parts.front().bytes == doctest::Approx(n2000 + n1000 + n250));
  CHECK(two.parts.at(1).what.rfind("N = 2000: ", 0) == 0);
  CHECK(two.parts.back().what.rfind("N = 1000: ", 0) == 0);
}
