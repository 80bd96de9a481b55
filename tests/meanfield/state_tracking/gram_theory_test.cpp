// docs/theory.md §4.8: the Gram flow over draws, averaged; the same numbers whatever the threads do.
#include <doctest/doctest.h>

#include <vector>

#include <cotdyn/meanfield/state_tracking/gram_theory.hpp>
#include <cotdyn/simulation/state_tracking/permutation_task.hpp>

using namespace cotdyn::meanfield;

namespace {
std::vector<std::vector<int>> default_transition() {
  return cotdyn::task::make_permutation_task("S4", {{1, 0, 2, 3}, {0, 2, 1, 3}, {0, 1, 3, 2}, {1, 2, 3, 0}}).transition;
}
}  // namespace

TEST_CASE("run_gram_theory averages the draws and does not depend on the thread schedule") {
  ModelParameters p;
  FiniteSizeTheory gram{default_transition(), 3, 5};
  const std::vector<double> times = {0, 30};
  const auto result = run_gram_theory(p, gram, 64, times);
  double sum = 0;
  for (int k = 0; k < 3; ++k) {
    const GramFlow flow(p, default_transition(), draw_gram_matrices(p.n, p.K, 64, 5 + k));
    sum += integrate_gram_flow(flow, times, gram_tolerances).rows[1].logit.image;
  }
  CHECK(result.mean[1].logit.image == doctest::Approx(sum / 3).epsilon(1e-12));
  CHECK(result.sd[1].logit.image > 0.0);
  CHECK(result.sd[0].logit.image == 0.0);
  CHECK(result.lock_on_times.size() == 3);
  gram.draws = 0;
  CHECK_THROWS_WITH_AS(run_gram_theory(p, gram, 64, times),
                       doctest::Contains("theory.gram_draws = 0"), std::invalid_argument);
}
