#include <doctest/doctest.h>

#include <cotdyn/meanfield/natbool/predictions.hpp>

using namespace cotdyn::meanfield::natbool;

TEST_CASE("natbool predictions: sequential steps per answer and the compression G / D (docs/models/natbool.md §9 A)") {
  const auto e4 = predict(12, 4, Shape::balanced, Regime::explicit_cot);
  const auto a4 = predict(12, 4, Shape::balanced, Regime::aligned);
  CHECK(predict(12, 4, Shape::balanced, Regime::direct).sequential_steps == 1);
  CHECK(e4.sequential_steps == 3);
  CHECK(a4.sequential_steps == 2);
  CHECK(predict(12, 4, Shape::balanced, Regime::implicit).sequential_steps == 2);
  CHECK(double(e4.sequential_steps) / a4.sequential_steps == doctest::Approx(1.5));
  const auto e6 = predict(12, 6, Shape::balanced, Regime::explicit_cot);
  const auto a6 = predict(12, 6, Shape::balanced, Regime::aligned);
  CHECK(double(e6.sequential_steps) / a6.sequential_steps == doctest::Approx(5.0 / 3.0));
  // A chain has depth r - 1: nothing to compress.
  CHECK(predict(12, 6, Shape::chain, Regime::aligned).sequential_steps == 5);
  CHECK(depth(12, 8, Shape::balanced) == 3);
}

TEST_CASE("natbool predictions: the order of the hardest target and the one-layer law at T = m + 1") {
  CHECK(predict(12, 6, Shape::balanced, Regime::direct).order == 6);
  CHECK(predict(12, 6, Shape::balanced, Regime::implicit).order == 6);
  CHECK(predict(12, 6, Shape::balanced, Regime::explicit_cot).order == 2);
  CHECK(predict(12, 6, Shape::balanced, Regime::aligned).order == 2);
  // The values docs/models/natbool.md §6.3 quotes (GELU, b = 0, T = 13), and exactly 0 at odd r.
  CHECK(one_layer_law(2, 13) == doctest::Approx(4.45e-3).epsilon(0.01));
  CHECK(one_layer_law(4, 13) == doctest::Approx(4.97e-5).epsilon(0.01));
  CHECK(one_layer_law(6, 13) == doctest::Approx(1.28e-6).epsilon(0.01));
  CHECK(one_layer_law(3, 13) == 0.0);
  CHECK(one_layer_law(5, 13) == 0.0);
}
