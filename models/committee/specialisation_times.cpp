#include <cotdyn/models/committee/specialisation_times.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include <cotdyn/meanfield/committee/milestones.hpp>

namespace cotdyn::models::committee {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

nlohmann::json number_or_null(double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr); }
std::string number(double x) { return std::isfinite(x) ? fmt::format("{:.4g}", x) : "not reached"; }

// Mean and s.d. (ddof 0) of a - b over the pairs where both are finite.
struct Difference {
  double mean = nan, std = nan;
  int count = 0;
};
Difference difference(const std::vector<double>& a, const std::vector<double>& b) {
  Difference d;
  double sum = 0, square = 0;
  for (std::size_t j = 0; j < a.size(); ++j)
    if (std::isfinite(a[j]) && std::isfinite(b[j])) {
      sum += a[j] - b[j];
      square += (a[j] - b[j]) * (a[j] - b[j]);
      ++d.count;
    }
  if (d.count == 0) return d;
  d.mean = sum / d.count;
  d.std = std::sqrt(std::max(0.0, square / d.count - d.mean * d.mean));
  return d;
}
std::string spread(const Difference& d, int seeds) {
  if (d.count == 0) return "—";
  const std::string text = fmt::format("{:+.4g} ± {:.3g}", d.mean, d.std);
  return d.count == seeds ? text : fmt::format("{} ({} of {} seeds)", text, d.count, seeds);
}

}  // namespace

meanfield::committee::State measured_state(const Trajectory& seed, std::size_t row, int K, int M) {
  auto value = [&](const std::string& name) {
    const auto it = std::find(seed.columns.begin(), seed.columns.end(), name);
    if (it == seed.columns.end()) throw std::out_of_range("the measurements have no column '" + name + "'");
    return seed.rows.at(row).at(static_cast<std::size_t>(it - seed.columns.begin()));
  };
  meanfield::committee::State s;
  s.Q.resize(K, K);
  s.R.resize(K, M);
  s.T.resize(M, M);
  s.v.resize(K);
  for (int i = 0; i < K; ++i) {
    for (int k = i; k < K; ++k) s.Q(i, k) = s.Q(k, i) = value(fmt::format("Q_{}_{}", i, k));
    for (int n = 0; n < M; ++n) s.R(i, n) = value(fmt::format("R_{}_{}", i, n));
    s.v(i) = value(fmt::format("v_{}", i));
  }
  for (int n = 0; n < M; ++n)
    for (int m = n; m < M; ++m) s.T(n, m) = s.T(m, n) = value(fmt::format("T_{}_{}", n, m));
  return s;
}

double measured_t_spec(const Trajectory& seed, int K, int M) {
  const auto t = seed.column("t");
  for (std::size_t j = 0; j < seed.rows.size(); ++j)
    if (meanfield::committee::is_specialised(measured_state(seed, j, K, M))) return t[j];
  return nan;
}

void add_specialisation_times(const std::vector<SeedSpecialisation>& rows, ComparisonAdditions& added) {
  core::CsvTable table({"N", "seed", "t_spec_simulation", "t_spec_own_ode", "t_spec_mean_ode"});
  std::string& report = added.report;
  report += "## Specialisation time per seed (docs/models/committee.md §6, §8.7)\n\n"
            "t_spec by the rule of §6 (every teacher unit n has a student unit i with r_in = R_in/√(Q_ii T_nn) > 0.9 "
            "and |r_im| < 0.5 for m ≠ n): on the simulation, the first observation time at which the measured "
            "overlaps meet it (so to the resolution of the observation grid); for the seed's own ODE (started from "
            "its measured initial overlaps) and the theory's t_spec (the mean over the seeds' ODEs), on the ODE's "
            "grid of 1000 points per decade.\n\n"
            "| N | seed | simulation | own ODE | theory (seed mean of the ODEs) |\n|---|---|---|---|---|\n";
  std::map<int, std::vector<const SeedSpecialisation*>> by_size;
  for (const auto& row : rows) {
    table.add_row({double(row.size), double(row.seed), row.simulation, row.own_ode, row.mean_ode});
    report += fmt::format("| {} | {} | {} | {} | {} |\n", row.size, row.seed, number(row.simulation), number(row.own_ode),
                          number(row.mean_ode));
    by_size[row.size].push_back(&row);
    added.results["specialisation_times"][std::to_string(row.size)]["per_seed"].push_back(
        {{"seed", row.seed}, {"simulation", number_or_null(row.simulation)}, {"own_ode", number_or_null(row.own_ode)}});
  }
  added.tables.push_back({"specialisation_times.csv", table});
  report += "\nPer N, mean ± s.d. over the seeds (where both are reached) of the difference of the simulation's "
            "t_spec from its own ODE's and from the theory's:\n\n"
            "| N | specialised: simulation / own ODE | simulation − own ODE | simulation − theory |\n|---|---|---|---|\n";
  for (const auto& [size, seeds] : by_size) {
    std::vector<double> simulation, own, mean;
    int simulated = 0, ode = 0;
    for (const auto* row : seeds) {
      simulation.push_back(row->simulation);
      own.push_back(row->own_ode);
      mean.push_back(row->mean_ode);
      simulated += std::isfinite(row->simulation);
      ode += std::isfinite(row->own_ode);
    }
    const int n = static_cast<int>(seeds.size());
    const auto to_own = difference(simulation, own), to_mean = difference(simulation, mean);
    report += fmt::format("| {} | {} / {} of {} | {} | {} |\n", size, simulated, ode, n, spread(to_own, n), spread(to_mean, n));
    auto& json = added.results["specialisation_times"][std::to_string(size)];
    json["theory"] = number_or_null(seeds.front()->mean_ode);
    json["simulation_minus_own_ode"] = {{"mean", number_or_null(to_own.mean)}, {"std", number_or_null(to_own.std)}, {"seeds", to_own.count}};
    json["simulation_minus_theory"] = {{"mean", number_or_null(to_mean.mean)}, {"std", number_or_null(to_mean.std)}, {"seeds", to_mean.count}};
  }
}

}  // namespace cotdyn::models::committee
