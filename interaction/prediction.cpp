#include <cotdyn/interaction/prediction.hpp>

#include <cmath>

#include <cotdyn/interaction/gaussian.hpp>
#include <cotdyn/interaction/rademacher_exact.hpp>
#include <cotdyn/interaction/taylor.hpp>

namespace cotdyn::interaction {

InteractionRow predict_cell(Activation a, double b, const ValueScale& scale, TokenLaw tokens, int r, int T) {
  InteractionRow row;
  row.activation = activation_name(a);
  row.activation_id = a;
  row.b = b;
  row.v = scale.at(T);
  row.tokens = token_law_name(tokens);
  row.token_law = tokens;
  row.r = r;
  row.T = T;
  const ExactSignal exact = rademacher_exact(a, b, row.v, r, T);  // also checks r, T, v
  row.precision_digits = exact.precision_digits;
  row.t_equals_r = exact.t_equals_r;
  row.delta_gauss = gaussian_delta(a, b, row.v, r, T);
  if (row.t_equals_r) {
    row.delta_taylor = 0;
  } else if (scale.sqrt_T) {
    row.delta_taylor = std::numeric_limits<double>::quiet_NaN();
  } else {
    row.delta_taylor = taylor_delta(a, b, row.v, r, T);
  }
  row.delta_exact = tokens == TokenLaw::gaussian ? row.delta_gauss : exact.delta;
  row.g_in = (1.0 - double(r) / T) * row.delta_exact;
  row.g_out = -(double(r) / T) * row.delta_exact;
  row.grad_norm = std::abs(row.delta_exact) * std::sqrt(double(r) * (T - r) / T);
  return row;
}

std::vector<InteractionRow> predict_rows(const InteractionSettings& s) {
  validate(s);
  std::vector<InteractionRow> rows;
  for (const auto& name : s.activations)
    for (double b : s.b)
      for (int r : s.r)
        for (int T : s.T) rows.push_back(predict_cell(parse_activation(name), b, s.v, s.tokens, r, T));
  return rows;
}

}  // namespace cotdyn::interaction
