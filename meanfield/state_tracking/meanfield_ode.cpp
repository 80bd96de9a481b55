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
  const double lag_ratio = static_cast<double>(p.L) / (p.L - 1);
  // The attention feels a force only once the logic module discriminates (A != 0): staged learning.
  const double attention_force =
      lag_ratio * q.correct_lag_weight * q.discrimination *
      (1.0 - e.correct_probability - e.correct_weight + e.weighted_probability);
  const double nK = static_cast<double>(p.n) * p.K;
  dxdt.resize(3);
  dxdt[0] = 2.0 * p.eta_A * q.qk_norm * attention_force;
  dxdt[1] = p.eta_W / nK * (e.correct_weight - e.weighted_probability);
  dxdt[2] = p.eta_W / (nK * (p.K - 1)) *
            (1.0 - e.correct_weight - e.image_probability + e.weighted_probability);
}

}  // namespace cotdyn::meanfield
