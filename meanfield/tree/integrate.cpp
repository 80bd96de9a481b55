#include <cotdyn/meanfield/tree/integrate.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <boost/numeric/odeint.hpp>
#include <fmt/format.h>

#include <cotdyn/meanfield/tree/milestones.hpp>
#include <cotdyn/meanfield/tree/ode.hpp>

namespace cotdyn::meanfield::tree {

namespace odeint = boost::numeric::odeint;

namespace {
// Steps allowed between two observations before the integration counts as stalled.
constexpr int max_steps_between_observations = 200000;
}  // namespace

const std::vector<double>& Trajectory::column(const std::string& name) const {
  const auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) throw std::out_of_range(fmt::format("tree trajectory has no column \"{}\"", name));
  return columns[it - names.begin()];
}

std::vector<double> Trajectory::state(std::size_t n) const {
  std::vector<double> x;
  for (int c = 0; c < dimension; ++c) x.push_back(columns[c].at(n));
  return x;
}

std::vector<std::string> column_names(const Parameters& p) {
  std::vector<std::string> names;
  for (int h = 0; h < p.H; ++h)
    for (const char* name : order_parameter_names) names.push_back(head_column(h, name));
  for (int h = 0; h < p.H; ++h) {
    names.push_back(head_column(h, "m_B"));
    if (p.task == Task::forward) names.push_back(head_column(h, "m_F"));
  }
  for (const char* name : {"loss", "step_acc_inf", "exact_acc_inf", "min_margin"}) names.push_back(name);
  for (int q = 0; q < p.queries(); ++q) names.push_back(fmt::format("margin_q{}", q));
  return names;
}

Trajectory integrate(const Parameters& parameters, const std::vector<double>& times, const Tolerances& tolerances) {
  validate(tolerances);
  const TreeOde ode(parameters);
  for (std::size_t n = 0; n < times.size(); ++n)
    if (!std::isfinite(times[n]) || times[n] < 0.0 || (n > 0 && times[n] < times[n - 1]))
      throw std::invalid_argument(fmt::format(
          "times[{}] = {}: observation times must be finite, non-negative and non-decreasing", n, times[n]));

  Trajectory out;
  out.names = column_names(parameters);
  out.columns.assign(out.names.size(), {});
  out.dimension = ode.dimension();
  if (times.empty()) return out;

  // Integrate through the distinct times, starting at t = 0; rows[n] is observed at grid[n].
  std::vector<double> grid{0.0};
  for (const double t : times)
    if (t > grid.back()) grid.push_back(t);
  std::vector<std::vector<double>> rows;
  auto observe = [&](const std::vector<double>& x, double t) {
    for (const double v : x)
      if (!std::isfinite(v)) throw std::runtime_error(fmt::format("tree ODE: the state is non-finite at t = {}", t));
    const CanonicalPass pass = ode.forward(x);
    const Accuracy acc = accuracy(ode.sample(), pass.logits);
    const RetrievalMasses mass = retrieval_masses(ode.sample(), pass);
    std::vector<double> row = x;
    for (int h = 0; h < parameters.H; ++h) {
      row.push_back(mass.backward[h]);
      if (parameters.task == Task::forward) row.push_back(mass.forward[h]);
    }
    row.push_back(pass.loss);
    row.push_back(acc.per_step);
    row.push_back(acc.exact_match ? 1.0 : 0.0);
    row.push_back(*std::min_element(acc.margins.begin(), acc.margins.end()));
    row.insert(row.end(), acc.margins.begin(), acc.margins.end());
    rows.push_back(std::move(row));
  };

  long evaluations = 0;
  auto system = [&](const std::vector<double>& x, std::vector<double>& dxdt, double t) {
    ++evaluations;
    ode(x, dxdt, t);
  };
  std::vector<double> x = ode.initial_state();
  if (grid.size() == 1) {
    observe(x, 0.0);
  } else {
    auto stepper = odeint::make_dense_output(tolerances.atol, tolerances.rtol,
                                             odeint::runge_kutta_dopri5<std::vector<double>>());
    try {
      odeint::integrate_times(stepper, system, x, grid.begin(), grid.end(), 0.01, observe,
                              odeint::max_step_checker(max_steps_between_observations));
    } catch (const odeint::odeint_error& e) {
      throw std::runtime_error(fmt::format("tree ODE: the integration stalled: {}", e.what()));
    }
  }
  out.rhs_evaluations = evaluations;

  out.times = times;
  for (std::size_t n = 0, g = 0; n < times.size(); ++n) {
    while (grid[g] < times[n]) ++g;
    for (std::size_t c = 0; c < out.columns.size(); ++c) out.columns[c].push_back(rows[g][c]);
  }
  return out;
}

}  // namespace cotdyn::meanfield::tree
