#include <cotdyn/meanfield/natbool/predictions.hpp>

#include <cmath>

#include <cotdyn/interaction/prediction.hpp>

namespace cotdyn::meanfield::natbool {

int depth(int m, int r, Shape shape) {
  return simulation::natbool::Dag(simulation::natbool::Parameters{m, r, shape, 0}).depth();
}

double one_layer_law(int order, int T) {
  const auto row = interaction::predict_cell(interaction::Activation::gelu, 0.0, interaction::ValueScale{false, 1.0},
                                             interaction::TokenLaw::rademacher, order, T);
  // Below interaction::ratio_floor the exact sum is rounding noise of an exact 0 (odd r for GELU at b = 0).
  return std::abs(row.delta_exact) < interaction::ratio_floor ? 0.0 : std::abs(row.delta_exact);
}

RegimePrediction predict(int m, int r, Shape shape, Regime regime) {
  RegimePrediction p;
  p.regime = regime;
  p.r = r;
  p.G = r - 1;
  p.D = depth(m, r, shape);
  switch (regime) {
    case Regime::direct: p.sequential_steps = 1; p.order = r; break;
    case Regime::explicit_cot: p.sequential_steps = p.G; p.order = std::min(r, 2); break;
    case Regime::implicit: p.sequential_steps = p.D; p.order = r; break;
    case Regime::aligned: p.sequential_steps = p.D; p.order = std::min(r, 2); break;
  }
  p.law = one_layer_law(p.order, m + 1);
  return p;
}

}  // namespace cotdyn::meanfield::natbool
