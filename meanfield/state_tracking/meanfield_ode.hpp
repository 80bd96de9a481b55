#pragma once
// The closed mean-field ODE of docs/theory.md §4 as a Boost.Odeint system on the state (M, R, Q).
#include <Eigen/Core>

#include <cotdyn/meanfield/state_tracking/context_average.hpp>

namespace cotdyn::meanfield {

using State = Eigen::VectorXd;  // (M, R, Q): one flat VectorXd, as Odeint's error-controlled steppers need

inline OrderParameters to_order_parameters(const State& x) { return {x[0], x[1], x[2]}; }
inline State to_state(const OrderParameters& x) {
  State s(3);
  s << x.attention_retrieval, x.teacher_alignment, x.offtarget_overlap;
  return s;
}

class MeanFieldOde {
 public:
  explicit MeanFieldOde(const ModelParameters& parameters);

  // Odeint system signature: dxdt = f(x, t), t = steps / d.
  void operator()(const State& x, State& dxdt, double t) const;

  // The attention force kappa of docs/theory.md §6 at state x: dM/dt = 2 eta_A N kappa.
  double attention_force(const State& x) const;

  const ModelParameters& parameters() const { return parameters_; }
  const CountVectors& count_vectors() const { return counts_; }

 private:
  static double attention_force(const ModelParameters& p, const DerivedQuantities& q, const ContextAverages& e);
  ModelParameters parameters_;
  CountVectors counts_;  // merged by competitor symmetry: the averages are symmetric in labels 2..K
};

}  // namespace cotdyn::meanfield
