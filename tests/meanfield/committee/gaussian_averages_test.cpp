// The closed-form averages against Monte-Carlo averages of correlated Gaussian fields.
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <random>
#include <vector>

#include <cotdyn/meanfield/committee/gaussian_averages.hpp>

using namespace cotdyn::meanfield::committee;

namespace {

constexpr int samples = 200'000;
constexpr double pi = 3.141592653589793238462643383279502884;

// Samples of four zero-mean Gaussian fields x = A z (covariance A A^T), with g and g' at each field.
struct FieldSamples {
  Eigen::Matrix4d C;
  std::vector<std::array<double, 4>> x, g, dg;
};

FieldSamples draw(Activation act, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  Eigen::Matrix4d A;
  for (int a = 0; a < 4; ++a)
    for (int b = 0; b < 4; ++b) A(a, b) = 0.6 * normal(rng);
  FieldSamples s{A * A.transpose(), {}, {}, {}};
  for (int r = 0; r < samples; ++r) {
    Eigen::Vector4d z;
    for (int a = 0; a < 4; ++a) z(a) = normal(rng);
    const Eigen::Vector4d x = A * z;
    std::array<double, 4> xs{}, gs{}, dgs{};
    for (int a = 0; a < 4; ++a) xs[a] = x(a), gs[a] = activation(act, x(a)), dgs[a] = activation_derivative(act, x(a));
    s.x.push_back(xs), s.g.push_back(gs), s.dg.push_back(dgs);
  }
  return s;
}

// Checks |closed - Monte-Carlo mean| < 4 standard errors of the per-sample values f(r).
template <class F>
void check_against_monte_carlo(double closed, F f, const char* what) {
  double sum = 0, sum2 = 0;
  for (int r = 0; r < samples; ++r) {
    const double y = f(r);
    sum += y, sum2 += y * y;
  }
  const double mean = sum / samples, error = std::sqrt((sum2 / samples - mean * mean) / samples);
  INFO(what << ": closed form " << closed << ", Monte Carlo " << mean << " +- " << error);
  CHECK(std::abs(closed - mean) < 4 * error + 1e-12);
}

void check_all(Activation act, unsigned seed) {
  const FieldSamples s = draw(act, seed);
  const Eigen::MatrixXd C = s.C;
  for (const auto& i : std::vector<std::array<int, 2>>{{0, 1}, {2, 3}, {0, 0}, {3, 3}}) {
    check_against_monte_carlo(I2(act, sub_covariance<2>(C, i)), [&](int r) { return s.g[r][i[0]] * s.g[r][i[1]]; }, "I2");
    check_against_monte_carlo(J2(act, sub_covariance<2>(C, i)), [&](int r) { return s.dg[r][i[0]] * s.dg[r][i[1]]; }, "J2");
  }
  for (const auto& i : std::vector<std::array<int, 3>>{{0, 1, 2}, {1, 3, 2}, {0, 0, 1}, {0, 1, 0}, {0, 1, 1}, {0, 0, 0}, {2, 3, 3}})
    check_against_monte_carlo(I3(act, sub_covariance<3>(C, i)),
                              [&](int r) { return s.dg[r][i[0]] * s.x[r][i[1]] * s.g[r][i[2]]; }, "I3");
  for (const auto& i : std::vector<std::array<int, 4>>{
           {0, 1, 2, 3}, {0, 1, 2, 2}, {0, 0, 1, 2}, {0, 1, 0, 1}, {0, 1, 1, 2}, {0, 0, 0, 0}, {0, 0, 1, 1}, {3, 2, 1, 0}})
    check_against_monte_carlo(I4(act, sub_covariance<4>(C, i)), [&](int r) {
      return s.dg[r][i[0]] * s.dg[r][i[1]] * s.g[r][i[2]] * s.g[r][i[3]];
    }, "I4");
}

}  // namespace

TEST_CASE("erf averages match Monte Carlo for random covariances including repeated fields") {
  for (unsigned seed : {11u, 12u, 13u}) {
    CAPTURE(seed);
    check_all(Activation::erf, seed);
  }
}

TEST_CASE("linear averages match Monte Carlo for a random covariance including repeated fields") {
  check_all(Activation::linear, 21u);
}

TEST_CASE("erf averages reduce to known values and stay finite at exactly degenerate covariances") {
  Eigen::Matrix2d unit = Eigen::Matrix2d::Ones();  // two copies of one unit-variance field
  CHECK(I2(Activation::erf, unit) == doctest::Approx(1.0 / 3.0).epsilon(1e-14));  // E[erf(x/sqrt2)^2]
  CHECK(J2(Activation::erf, unit) == doctest::Approx(2 / (pi * std::sqrt(3.0))).epsilon(1e-14));
  // I4(1,2,3,3): the arcsin argument is 1 - Lambda4/Lambda1 < 1, not 1 (docs/models/committee.md §4.2);
  // with a small third field the average is O(C33), far below the value (2/pi)/sqrt(Lambda4) at argument 1.
  Eigen::MatrixXd C(3, 3);
  C << 0.7, 0.2, 0.01, 0.2, 0.5, 0.005, 0.01, 0.005, 1e-3;
  const double lambda4 = 1.7 * 1.5 - 0.04;
  const double value = I4(Activation::erf, sub_covariance<4>(C, {0, 1, 2, 2}));
  CHECK(value > 0);
  CHECK(value < 0.01 * (2 / pi) / std::sqrt(lambda4));
  // A field of zero variance has g = 0: every average with it in a g slot vanishes.
  C << 0.7, 0.2, 0, 0.2, 0.5, 0, 0, 0, 0;
  CHECK(I4(Activation::erf, sub_covariance<4>(C, {0, 1, 2, 2})) == doctest::Approx(0.0));
  CHECK(I3(Activation::erf, sub_covariance<3>(C, {0, 1, 2})) == doctest::Approx(0.0));
}
