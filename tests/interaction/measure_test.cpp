#include <doctest/doctest.h>

#include <cmath>

#include <cotdyn/interaction/measure.hpp>
#include <cotdyn/interaction/prediction.hpp>

using namespace cotdyn::interaction;

TEST_CASE("measurement reproduces the INTERACTION.md reference table within 3 standard errors (5e4 pairs)") {
  struct Cell {
    Activation a;
    double b;
    int r;
  };
  const Cell cells[] = {{Activation::tanh, 0.5, 1}, {Activation::tanh, 0.5, 2}, {Activation::tanh, 0.5, 3},
                        {Activation::tanh, 0.5, 4}, {Activation::gelu, 0.0, 2}, {Activation::gelu, 0.0, 4},
                        {Activation::relu, 0.0, 2}};
  std::vector<InteractionRow> rows;
  for (const Cell& c : cells)
    for (int T : {16, 64}) rows.push_back(predict_cell(c.a, c.b, ValueScale{}, TokenLaw::rademacher, c.r, T));
  measure_rows(rows, 50000, 1);
  for (const auto& row : rows) {
    INFO(row.activation, " b=", row.b, " r=", row.r, " T=", row.T, " exact=", row.delta_exact,
         " measured=", row.delta_measured, " se=", row.std_error);
    CHECK(row.std_error > 0);
    CHECK(std::abs(row.delta_measured - row.delta_exact) <= 3 * row.std_error);
    CHECK(row.ratio == doctest::Approx(row.delta_measured / row.delta_exact));
  }
}

TEST_CASE("measurement with Gaussian tokens agrees with the Gaussian form within 3 standard errors") {
  std::vector<InteractionRow> rows;
  for (Activation a : {Activation::tanh, Activation::relu, Activation::exp})
    for (int r : {1, 2, 3}) rows.push_back(predict_cell(a, 0.5, ValueScale{}, TokenLaw::gaussian, r, 16));
  measure_rows(rows, 20000, 7);
  for (const auto& row : rows) {
    INFO(row.activation, " r=", row.r, " exact=", row.delta_exact, " measured=", row.delta_measured,
         " se=", row.std_error);
    CHECK(std::abs(row.delta_measured - row.delta_exact) <= 3 * row.std_error);
  }
}

TEST_CASE("measurement is reproducible from the seed, and T = r cells stay empty") {
  const auto a = measure_cell(Activation::gelu, 0.0, 1.0, TokenLaw::rademacher, 2, 8, 1000, 42);
  const auto b = measure_cell(Activation::gelu, 0.0, 1.0, TokenLaw::rademacher, 2, 8, 1000, 42);
  const auto c = measure_cell(Activation::gelu, 0.0, 1.0, TokenLaw::rademacher, 2, 8, 1000, 43);
  CHECK(a.delta == b.delta);
  CHECK(a.std_error == b.std_error);
  CHECK(a.delta != c.delta);
  std::vector<InteractionRow> rows{predict_cell(Activation::tanh, 0.0, ValueScale{}, TokenLaw::rademacher, 4, 4)};
  measure_rows(rows, 100, 1);
  CHECK(std::isnan(rows[0].delta_measured));
  CHECK_THROWS_AS(measure_cell(Activation::tanh, 0.0, 1.0, TokenLaw::rademacher, 4, 4, 100, 1), std::invalid_argument);
}
