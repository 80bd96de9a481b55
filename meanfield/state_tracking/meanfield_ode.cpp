#include <cotdyn/meanfield/state_tracking/meanfield_ode.hpp>

namespace cotdyn::meanfield {

MeanFieldOde::MeanFieldOde(const ModelParameters& parameters)
    : parameters_(parameters), counts_(enumerate_count_classes(parameters.K, parameters.L)) {
  validate(parameters_);
}

void MeanFieldOde::operator()(const State& x, State& dxdt, double /*t*/) const {
  const ModelParameters& p = parameters_;
  const DerivedQuantities q = derive(p, to_order_parameters(x));
  const ContextAverages e = context_average(p, counts_, q);
  // Label noise (docs/theory.md §16): the gradient is linear in the one-hot target y, so the noisy task
  // replaces y by its mean (1 - eps) e_correct + (eps / n) 1. Each force below is the clean force of
  // §4.3 minus eps times the part of it the correct target carries beyond a uniform one; at eps = 0
  // the subtracted term is exactly zero and the clean equations are evaluated bit for bit.
  const double eps = p.label_noise;
  const double n = p.n;
  const double nK = n * p.K;
  dxdt.resize(3);
  dxdt[0] = 2.0 * p.eta_A * q.qk_norm * attention_force(p, q, e);
  dxdt[1] = p.eta_W / nK * ((e.correct_weight - e.weighted_probability) - eps * (e.correct_weight - 1.0 / n));
  dxdt[2] = p.eta_W / (nK * (p.K - 1)) *
            ((1.0 - e.correct_weight - e.image_probability + e.weighted_probability) -
             eps * (1.0 - e.correct_weight - (p.K - 1) / n));
}

double MeanFieldOde::attention_force(const State& x) const {
  const DerivedQuantities q = derive(parameters_, to_order_parameters(x));
  return attention_force(parameters_, q, context_average(parameters_, counts_, q));
}

// The attention feels a force only once the logic module discriminates (A != 0): staged learning.
// The uniform part of the noisy target gives every action the same pull and cancels here.
double MeanFieldOde::attention_force(const ModelParameters& p, const DerivedQuantities& q, const ContextAverages& e) {
  const double lag_ratio = static_cast<double>(p.L) / (p.L - 1);
  return lag_ratio * q.correct_lag_weight * q.discrimination *
         ((1.0 - e.correct_probability - e.correct_weight + e.weighted_probability) -
          p.label_noise * (1.0 - e.correct_weight));
}

}  // namespace cotdyn::meanfield
