#include <cotdyn/tests/models/linear/model.hpp>

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include <cotdyn/tests/models/linear/system.hpp>
#include <cotdyn/tests/models/linear/theory.hpp>

namespace cotdyn::testing::linear {

namespace {
Parameters parameters(const core::Config& config) {
  Parameters p;
  p.eta = config.get_number("linear.eta");
  p.sigma = config.get_number("linear.sigma");
  p.T = config.get_number("linear.T");
  if (!(p.eta > 0 && p.eta < 2))
    throw std::invalid_argument(fmt::format("linear.eta = {}: must be in (0, 2) (stable SGD)", p.eta));
  if (!(p.sigma >= 0)) throw std::invalid_argument(fmt::format("linear.sigma = {}: must be >= 0", p.sigma));
  if (!(p.T > 0)) throw std::invalid_argument(fmt::format("linear.T = {}: must be > 0", p.T));
  return p;
}
}  // namespace

std::string LinearModel::summary() const {
  return "online linear teacher-student regression: R = w.w*/N, Q = w.w/N (test suite only)";
}

std::string LinearModel::default_sections() const {
  return "[linear]\n"
         "N = 200        # input dimension: N steps per unit of time\n"
         "eta = 0.5      # learning rate: the SGD step is eta / sqrt(N)\n"
         "sigma = 0.0    # output-noise standard deviation\n"
         "T = 1.0        # teacher norm w*.w*/N\n";
}

void LinearModel::validate(const core::Config& config) const {
  parameters(config);
  steps_per_unit_time(config);
}

std::int64_t LinearModel::steps_per_unit_time(const core::Config& config) const {
  const auto N = config.get_integer("linear.N");
  if (N < 1 || N > 10'000'000) throw std::invalid_argument(fmt::format("linear.N = {}: must be in [1, 10^7]", N));
  return N;
}

models::Trajectory LinearModel::theory(const core::Config& config, const std::vector<double>& times) const {
  models::Trajectory trajectory{{"t", "R", "Q", "eps_g"}, solve(parameters(config), times), {}};
  const auto t = trajectory.column("t"), eps = trajectory.column("eps_g");
  double half = std::nan("");
  for (std::size_t i = 1; i < t.size() && !eps.empty(); ++i)
    if (eps[i] <= 0.5 * eps[0]) {
      const double target = 0.5 * eps[0];
      half = t[i - 1] + (t[i] - t[i - 1]) * (eps[i - 1] - target) / (eps[i - 1] - eps[i]);
      break;
    }
  trajectory.milestones = {{"eps_g_half_time", half}, {"eps_g_final", eps.empty() ? std::nan("") : eps.back()}};
  return trajectory;
}

void LinearModel::validate_simulation(const core::Config& config) const { validate(config); }

std::unique_ptr<simulation::SimulatedSystem> LinearModel::simulated_system(const core::Config& config) const {
  const Parameters p = parameters(config);
  SystemSettings s;
  s.N = static_cast<int>(steps_per_unit_time(config));
  s.seeds = static_cast<int>(config.get_integer("train.seeds"));
  s.base_seed = static_cast<std::uint64_t>(config.get_integer("train.seed"));
  s.eta = p.eta;
  s.sigma = p.sigma;
  s.T = p.T;
  return std::make_unique<LinearSystem>(s);
}

// Two doubles of state per seed: nothing worth counting beyond the seeds themselves.
core::MemoryEstimate LinearModel::simulation_memory(const core::Config& config) const {
  return {{{"overlaps R, Q", 16.0 * static_cast<double>(config.get_integer("train.seeds")), "train.seeds"}}};
}

std::string LinearModel::simulation_summary(const core::Config& config) const {
  return fmt::format("linear teacher-student, N = {}, {} seeds", steps_per_unit_time(config),
                     config.get_integer("train.seeds"));
}

}  // namespace cotdyn::testing::linear
