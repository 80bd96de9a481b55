#include <cotdyn/meanfield/committee/milestones.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

namespace cotdyn::meanfield::committee {

bool is_specialised(const State& s) {
  const auto K = s.R.rows(), M = s.R.cols();
  for (Eigen::Index n = 0; n < M; ++n) {
    bool found = false;
    for (Eigen::Index i = 0; i < K && !found; ++i) {
      auto r = [&](Eigen::Index m) { return s.R(i, m) / std::sqrt(s.Q(i, i) * s.T(m, m)); };
      found = r(n) > specialised_overlap;
      for (Eigen::Index m = 0; m < M && found; ++m) found = m == n || std::abs(r(m)) < unspecialised_overlap;
    }
    if (!found) return false;
  }
  return true;
}

std::vector<double> log_slope(const std::vector<double>& times, const std::vector<double>& eps_g) {
  const std::size_t n = times.size();
  std::vector<double> phi(n, std::numeric_limits<double>::quiet_NaN());
  auto usable = [&](std::size_t j) { return times[j] > 0 && eps_g[j] > 0; };
  auto x = [&](std::size_t j) { return std::log(times[j]); };
  auto y = [&](std::size_t j) { return std::log(eps_g[j]); };
  for (std::size_t j = 0; j < n; ++j) {
    if (!usable(j)) continue;
    const bool left = j > 0 && usable(j - 1), right = j + 1 < n && usable(j + 1);
    if (left && right) {
      const double h1 = x(j) - x(j - 1), h2 = x(j + 1) - x(j);
      phi[j] = -h2 / (h1 * (h1 + h2)) * y(j - 1) + (h2 - h1) / (h1 * h2) * y(j) + h1 / (h2 * (h1 + h2)) * y(j + 1);
    } else if (right) {
      phi[j] = (y(j + 1) - y(j)) / (x(j + 1) - x(j));
    } else if (left) {
      phi[j] = (y(j) - y(j - 1)) / (x(j) - x(j - 1));
    }
  }
  return phi;
}

Milestones find_milestones(const std::vector<double>& times, const std::vector<double>& eps_g,
                           const std::vector<bool>& specialised) {
  const std::size_t n = times.size();
  if (n == 0 || eps_g.size() != n || specialised.size() != n)
    throw std::invalid_argument(fmt::format("committee: milestones need equally many (> 0) times, eps_g and "
                                            "specialisation flags (got {}, {}, {})", n, eps_g.size(), specialised.size()));
  for (std::size_t j = 1; j < n; ++j)
    if (!(times[j] > times[j - 1]))
      throw std::invalid_argument(fmt::format("committee: milestone times must increase strictly (times[{}] = {} "
                                              "after {})", j, times[j], times[j - 1]));
  Milestones result;
  result.final_eps_g = eps_g.back();
  for (std::size_t j = 0; j < n && !result.t_spec; ++j)
    if (specialised[j]) result.t_spec = times[j];

  // t*: the grid time in [1, t_spec] (or [1, last time]) with the smallest |phi|.
  const std::vector<double> phi = log_slope(times, eps_g);
  const double t_end = result.t_spec.value_or(times.back());
  std::optional<std::size_t> star;
  for (std::size_t j = 0; j < n; ++j)
    if (times[j] >= 1 && times[j] <= t_end && std::isfinite(phi[j]) &&
        (!star || std::abs(phi[j]) < std::abs(phi[*star])))
      star = j;
  if (!star) return result;
  result.t_star = times[*star];
  result.eps_plateau = eps_g[*star];

  // Plateau: the maximal run of consecutive grid points with |phi| < 0.1 that contains t*.
  auto flat = [&](std::size_t j) { return std::isfinite(phi[j]) && std::abs(phi[j]) < plateau_slope; };
  if (!flat(*star)) return result;
  std::size_t lo = *star, hi = *star;
  while (lo > 0 && flat(lo - 1)) --lo;
  while (hi + 1 < n && flat(hi + 1)) ++hi;
  result.plateau_start = times[lo];
  result.plateau_end = times[hi];
  return result;
}

Milestones find_milestones(const Trajectory& trajectory) {
  std::vector<bool> specialised(trajectory.times.size());
  for (std::size_t j = 0; j < specialised.size(); ++j) specialised[j] = is_specialised(trajectory.state(j));
  return find_milestones(trajectory.times, trajectory.column("eg"), specialised);
}

Milestones theory_milestones(const Parameters& parameters, const State& initial, double t_max,
                             const Tolerances& tolerances, int per_decade) {
  constexpr double first = 1e-2;
  if (!(t_max > first) || !std::isfinite(t_max))
    throw std::invalid_argument(fmt::format("committee: t_max = {} is not allowed: it must be finite and > {}", t_max, first));
  std::vector<double> times = log_spaced_times(first, t_max, per_decade);
  times.insert(times.begin(), 0.0);
  return find_milestones(integrate(parameters, initial, times, tolerances));
}

}  // namespace cotdyn::meanfield::committee
