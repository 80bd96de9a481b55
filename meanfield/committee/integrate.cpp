#include <cotdyn/meanfield/committee/integrate.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <boost/numeric/odeint.hpp>
#include <fmt/format.h>

#include <cotdyn/meanfield/committee/ode.hpp>

namespace cotdyn::meanfield::committee {

namespace odeint = boost::numeric::odeint;

namespace {

// A non-stiff solve that needs more steps than this between two observations has stalled.
constexpr int max_steps_between_observations = 1'000'000;

// The bounds of Divergence for a run from `initial`.
struct DivergenceBounds {
  double Q_ii;
  double v_squared;
};

DivergenceBounds divergence_bounds(const Parameters& parameters, const State& initial) {
  const double q_scale = std::max({1.0, initial.Q.diagonal().maxCoeff(), initial.T.diagonal().maxCoeff()});
  const double v_scale =
      std::max({1.0, initial.v.cwiseAbs2().maxCoeff(), parameters.v_star.cwiseAbs2().maxCoeff()});
  return {divergence_factor * q_scale, divergence_factor * v_scale};
}

// Throws Divergence when the packed state x (columns `names` after "eg") at time t is out of range.
void check_divergence(const std::vector<double>& x, double eps, const std::vector<std::string>& names, int K,
                      const DivergenceBounds& bounds, double t) {
  if (!std::isfinite(eps)) throw Divergence(t, names[0], eps, std::nan(""));
  for (std::size_t c = 0; c < x.size(); ++c)
    if (!std::isfinite(x[c])) throw Divergence(t, names[c + 1], x[c], std::nan(""));
  std::size_t c = 0;
  for (int i = 0; i < K; ++i)
    for (int k = i; k < K; ++k, ++c)
      if (i == k && x[c] > bounds.Q_ii) throw Divergence(t, names[c + 1], x[c], bounds.Q_ii);
  for (int i = 0; i < K; ++i) {
    const std::size_t j = x.size() - K + i;
    if (x[j] * x[j] > bounds.v_squared) throw Divergence(t, names[j + 1], x[j], std::sqrt(bounds.v_squared));
  }
}

}  // namespace

Divergence::Divergence(double t_, std::string quantity_, double value_, double bound_)
    : std::runtime_error(std::isfinite(value_)
                             ? fmt::format("committee: the ODE diverges: at t = {:.6g}, {} = {:.6g} exceeds its bound "
                                           "{:.6g} (docs/models/committee.md §5.1)", t_, quantity_, value_, bound_)
                             : fmt::format("committee: the ODE diverges: at t = {:.6g}, {} = {} is not finite", t_,
                                           quantity_, value_)),
      t(t_),
      quantity(std::move(quantity_)),
      value(value_),
      bound(bound_) {}

void validate(const Tolerances& t) {
  if (!(t.rtol > 0 && t.rtol < 1)) throw std::invalid_argument(fmt::format("committee: rtol = {} is not allowed: 0 < rtol < 1", t.rtol));
  if (!(t.atol > 0 && std::isfinite(t.atol)))
    throw std::invalid_argument(fmt::format("committee: atol = {} is not allowed: it must be finite and > 0", t.atol));
}

std::vector<std::string> column_names(int K, int M) {
  std::vector<std::string> names{"eg"};
  for (int i = 0; i < K; ++i)
    for (int k = i; k < K; ++k) names.push_back(fmt::format("Q_{}_{}", i, k));
  for (int i = 0; i < K; ++i)
    for (int n = 0; n < M; ++n) names.push_back(fmt::format("R_{}_{}", i, n));
  for (int i = 0; i < K; ++i) names.push_back(fmt::format("v_{}", i));
  return names;
}

const std::vector<double>& Trajectory::column(const std::string& name) const {
  for (std::size_t c = 0; c < names.size(); ++c)
    if (names[c] == name) return columns[c];
  throw std::out_of_range(fmt::format("committee: no column \"{}\" (K = {}, M = {})", name, K, M));
}

State Trajectory::state(std::size_t row) const {
  std::vector<double> x(columns.size() - 1);
  for (std::size_t c = 1; c < columns.size(); ++c) x[c - 1] = columns[c].at(row);
  return unpack(x, K, T);
}

Trajectory integrate(const Parameters& parameters, const State& initial, const std::vector<double>& times,
                     const Tolerances& tolerances) {
  validate(parameters);
  validate(initial, parameters);
  validate(tolerances);
  for (std::size_t j = 0; j < times.size(); ++j)
    if (!std::isfinite(times[j]) || times[j] < 0 || (j > 0 && times[j] < times[j - 1]))
      throw std::invalid_argument(fmt::format("committee: times[{}] = {} is not allowed: times must be finite, "
                                              ">= 0 and non-decreasing", j, times[j]));
  const Ode ode(parameters, initial.T);
  const DivergenceBounds bounds = divergence_bounds(parameters, initial);
  Trajectory result{parameters.K, parameters.M, initial.T, {}, column_names(parameters.K, parameters.M), {}, 0};
  result.columns.resize(result.names.size());
  if (times.empty()) return result;

  // Odeint observes at the first time too, so integrate from t = 0 and drop it if not requested.
  std::vector<double> grid = times;
  bool skip_first = times.front() > 0.0;
  if (skip_first) grid.insert(grid.begin(), 0.0);
  auto observe = [&](const std::vector<double>& x, double t) {
    if (skip_first) {
      skip_first = false;
      return;
    }
    const State s = unpack(x, parameters.K, initial.T);
    const double eps = generalisation_error(parameters, s);
    check_divergence(x, eps, result.names, parameters.K, bounds, t);
    result.times.push_back(t);
    result.columns[0].push_back(eps);
    for (std::size_t c = 0; c < x.size(); ++c) result.columns[c + 1].push_back(x[c]);
  };

  auto stepper = odeint::make_dense_output(tolerances.atol, tolerances.rtol, odeint::runge_kutta_dopri5<std::vector<double>>());
  std::vector<double> x = pack(initial);
  try {
    result.steps = odeint::integrate_times(stepper, std::cref(ode), x, grid.begin(), grid.end(), 1e-3, observe,
                                           odeint::max_step_checker(max_steps_between_observations));
  } catch (const odeint::odeint_error& e) {
    throw std::runtime_error(fmt::format("committee: the ODE integration stalled at t = {:.6g}: {}",
                                         stepper.current_time(), e.what()));
  }
  return result;
}

std::vector<double> log_spaced_times(double first, double last, int per_decade) {
  if (!(first > 0 && last > first && std::isfinite(last) && per_decade > 0))
    throw std::invalid_argument(fmt::format("committee: log-spaced times need 0 < first < last and per_decade > 0 "
                                            "(got first = {}, last = {}, per_decade = {})", first, last, per_decade));
  const auto n = static_cast<std::size_t>(std::ceil(per_decade * std::log10(last / first)));
  std::vector<double> t(n + 1);
  for (std::size_t j = 0; j <= n; ++j) t[j] = first * std::pow(last / first, static_cast<double>(j) / n);
  t.front() = first;
  t.back() = last;
  return t;
}

}  // namespace cotdyn::meanfield::committee
