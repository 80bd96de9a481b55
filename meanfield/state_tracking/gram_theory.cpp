#include <cotdyn/meanfield/state_tracking/gram_theory.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>

#include <boost/math/tools/roots.hpp>
#include <boost/numeric/odeint.hpp>
#include <boost/numeric/odeint/external/eigen/eigen.hpp>
#include <fmt/format.h>
#include <tbb/parallel_for.h>

namespace cotdyn::meanfield {

namespace odeint = boost::numeric::odeint;

namespace {
using DopriStepper = odeint::runge_kutta_dopri5<State, double, State, double, odeint::vector_space_algebra>;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr long max_steps = 1'000'000;

// Every observable as one list, so that means and deviations are written once.
std::vector<double*> fields(GramObservables& o) {
  return {&o.M, &o.alpha, &o.logit.teacher, &o.logit.image, &o.logit.other, &o.coefficient.teacher,
          &o.coefficient.image, &o.coefficient.other, &o.loss, &o.step_acc};
}
}  // namespace

void validate_gram_draws(long long draws) {
  if (draws < 1 || draws > 1000)
    throw std::invalid_argument(fmt::format("theory.gram_draws = {}: must lie in [1, 1000]", draws));
}

GramTrajectory integrate_gram_flow(const GramFlow& flow, const std::vector<double>& times, const Tolerances& tolerances) {
  validate(tolerances);
  GramTrajectory out{{}, nan, 0};
  if (times.empty()) return out;
  if (times.front() < 0) throw std::invalid_argument(fmt::format("observe.times starts at {} < 0", times.front()));
  const double lock_on = lock_on_retrieval(flow.parameters().L);
  auto stepper = odeint::make_dense_output(tolerances.atol, tolerances.rtol, DopriStepper());
  State x = flow.initial_state();
  stepper.initialize(x, 0.0, 1e-3);
  std::size_t next = 0;
  for (; next < times.size() && times[next] == 0.0; ++next) out.rows.push_back(flow.observe(x));
  while (next < times.size()) {
    const double t0 = stepper.current_time();
    const double m0 = stepper.current_state()[0];
    stepper.do_step(std::cref(flow));
    const State& end = stepper.current_state();
    if (!end.allFinite())
      throw std::runtime_error(fmt::format("theory (gram): the flow became non-finite at t = {:.6g}; lower the "
                                           "learning rates", stepper.current_time()));
    if (++out.steps > max_steps)
      throw std::runtime_error(fmt::format("theory (gram): the integration stalled at t = {:.6g}",
                                           stepper.current_time()));
    const double t1 = stepper.current_time();
    if (std::isnan(out.lock_on_time) && m0 < lock_on && end[0] >= lock_on) {
      State y(x.size());
      auto gap = [&](double t) {
        stepper.calc_state(t, y);
        return y[0] - lock_on;
      };
      boost::uintmax_t iterations = 100;
      auto close = [](double a, double b) { return std::abs(b - a) <= 1e-10 * std::max(1.0, std::abs(a)); };
      const auto bracket = boost::math::tools::toms748_solve(gap, t0, t1, m0 - lock_on, end[0] - lock_on, close,
                                                             iterations);
      out.lock_on_time = 0.5 * (bracket.first + bracket.second);
    }
    for (; next < times.size() && times[next] <= t1; ++next) {
      stepper.calc_state(times[next], x);
      out.rows.push_back(flow.observe(x));
    }
  }
  if (out.lock_on_time > times.back()) out.lock_on_time = nan;
  return out;
}

GramTheoryResult run_gram_theory(const ModelParameters& parameters, const FiniteSizeTheory& gram, int d,
                                 const std::vector<double>& times) {
  validate_gram_draws(gram.draws);
  if (d < 1) throw std::invalid_argument(fmt::format("model.d = {}: must be >= 1", d));
  std::vector<GramTrajectory> runs(static_cast<std::size_t>(gram.draws));
  tbb::parallel_for(0, gram.draws, [&](int k) {
    const GramFlow flow(parameters, gram.transition, draw_gram_matrices(parameters.n, parameters.K, d, gram.seed + k));
    runs[static_cast<std::size_t>(k)] = integrate_gram_flow(flow, times, gram_tolerances);
  });
  GramTheoryResult result;
  result.times = times;
  result.mean.resize(times.size());
  result.sd.resize(times.size());
  const double draws = gram.draws;
  for (std::size_t i = 0; i < times.size(); ++i) {
    auto mean = fields(result.mean[i]);
    auto sd = fields(result.sd[i]);
    for (std::size_t f = 0; f < mean.size(); ++f) {
      double sum = 0, sum2 = 0;
      for (auto& run : runs) sum += *fields(run.rows[i])[f];
      const double m = sum / draws;
      for (auto& run : runs) sum2 += std::pow(*fields(run.rows[i])[f] - m, 2);
      *mean[f] = m;
      *sd[f] = draws > 1 ? std::sqrt(sum2 / (draws - 1)) : 0.0;
    }
  }
  double sum = 0;
  int locked = 0;
  for (const auto& run : runs) {
    result.lock_on_times.push_back(run.lock_on_time);
    if (!std::isnan(run.lock_on_time)) sum += run.lock_on_time, ++locked;
  }
  result.lock_on_time_mean = locked > 0 ? sum / locked : nan;
  return result;
}

}  // namespace cotdyn::meanfield
