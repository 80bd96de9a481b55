// docs/theory.md §4.7: the reference trajectory at the defaults, from an independent implementation.
#include <doctest/doctest.h>

#include <cotdyn/meanfield/state_tracking/theory_run.hpp>

using namespace cotdyn::meanfield;

namespace {
struct ReferenceRow {
  double t, M, alpha, R, Q, P, step_acc_inf, loss;
};
const ReferenceRow reference[] = {
    {0, 0.000000, 0.111111, 0.000000, 0.000000, 0.000000, 0.0417, 3.178054},
    {10, 0.001940, 0.111327, 0.298726, 0.183232, -0.042421, 0.5368, 2.961090},
    {20, 0.008514, 0.112061, 0.586651, 0.356017, -0.082735, 0.5368, 2.764173},
    {30, 0.027823, 0.114240, 0.863332, 0.517348, -0.120769, 0.5368, 2.587406},
    {40, 0.119036, 0.125042, 1.130972, 0.665785, -0.156416, 0.5368, 2.427301},
    {45, 0.318621, 0.151743, 1.266452, 0.733397, -0.173332, 0.5368, 2.344595},
    {47.5, 0.616949, 0.200147, 1.339891, 0.763789, -0.181563, 0.7444, 2.287838},
    {50, 1.700931, 0.458621, 1.434584, 0.786059, -0.189638, 0.9992, 2.123635},
    {52.5, 4.205053, 0.934088, 1.612360, 0.779027, -0.197472, 1.0000, 1.755925},
    {55, 5.327364, 0.980427, 1.816670, 0.761058, -0.204992, 1.0000, 1.559367},
    {60, 6.388103, 0.993983, 2.204576, 0.725527, -0.219058, 1.0000, 1.245169},
    {80, 7.868755, 0.998857, 3.363973, 0.620878, -0.261330, 1.0000, 0.546845},
    {100, 8.388564, 0.999363, 4.053764, 0.560585, -0.286776, 1.0000, 0.301911},
};

TheoryResult reference_run(std::vector<double> dims) {
  std::vector<double> times;
  for (const auto& row : reference) times.push_back(row.t);
  return run_theory(ModelParameters{}, times, Tolerances{}, dims);
}
}  // namespace

TEST_CASE("the default trajectory reproduces docs/theory.md §4.7 (order parameters and loss to 1e-5)") {
  const TheoryResult result = reference_run({});
  REQUIRE(result.rows.size() == std::size(reference));
  for (std::size_t i = 0; i < result.rows.size(); ++i) {
    const auto& row = result.rows[i];
    const auto& ref = reference[i];
    CAPTURE(ref.t);
    CHECK(row.t == ref.t);
    CHECK(std::abs(row.state.attention_retrieval - ref.M) <= 1e-5);
    CHECK(std::abs(row.derived.correct_lag_weight - ref.alpha) <= 1e-5);
    CHECK(std::abs(row.state.teacher_alignment - ref.R) <= 1e-5);
    CHECK(std::abs(row.state.offtarget_overlap - ref.Q) <= 1e-5);
    CHECK(std::abs(row.derived.other_overlap - ref.P) <= 1e-5);
    CHECK(std::abs(row.loss - ref.loss) <= 1e-5);
  }
}

TEST_CASE("the noise-free per-step accuracy reproduces docs/theory.md §4.7 to 1e-4") {
  const TheoryResult result = reference_run({});
  for (std::size_t i = 0; i < result.rows.size(); ++i) {
    CAPTURE(reference[i].t);
    CHECK(std::abs(result.rows[i].step_acc_inf - reference[i].step_acc_inf) <= 1e-4);
    CHECK(result.rows[i].rollout_acc_inf == doctest::Approx(std::pow(result.rows[i].step_acc_inf, 9)));
  }
}

TEST_CASE("the logit-distribution accuracy at d = 256 reproduces docs/theory.md §4.7 to 1e-4") {
  const TheoryResult result = run_theory(ModelParameters{}, {0, 20, 47.5, 50, 52.5}, Tolerances{}, {256});
  const double expected[] = {0.32975, 0.42054, 0.71006, 0.99276};
  for (int i = 0; i < 4; ++i) {
    CAPTURE(result.rows[i + 1].t);
    CHECK(std::abs(result.rows[i + 1].step_acc_ld[0] - expected[i]) <= 1e-4);
  }
}
