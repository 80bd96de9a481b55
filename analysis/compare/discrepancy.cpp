#include <cotdyn/analysis/compare/discrepancy.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <tuple>
#include <utility>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include <cotdyn/core/output.hpp>

namespace cotdyn::compare {

namespace {
// RMS over the times of |mean over `pick` - theory|, with pick[k] the seeds' indices of one resample.
double resampled_rms(const std::vector<std::vector<double>>& per_seed, const std::vector<std::size_t>& pick,
                     const std::vector<double>& theory) {
  double sum = 0;
  for (std::size_t i = 0; i < theory.size(); ++i) {
    double mean = 0;
    for (const std::size_t k : pick) mean += per_seed[k][i] / pick.size();
    sum += (mean - theory[i]) * (mean - theory[i]);
  }
  return std::sqrt(sum / theory.size());
}

// The seed bootstrap of the RMS (Discrepancy::rms_low, rms_high): 400 resamples drawn from a fixed
// generator, so that the same runs give the same interval.
std::pair<double, double> bootstrap_rms(const std::vector<std::vector<double>>& per_seed,
                                        const std::vector<double>& theory) {
  const std::size_t seeds = per_seed.size();
  if (seeds < 2) return {std::nan(""), std::nan("")};
  std::mt19937_64 generator(20261202);
  std::uniform_int_distribution<std::size_t> draw(0, seeds - 1);
  std::vector<double> rms(400);
  std::vector<std::size_t> pick(seeds);
  for (double& r : rms) {
    for (auto& k : pick) k = draw(generator);
    r = resampled_rms(per_seed, pick, theory);
  }
  std::sort(rms.begin(), rms.end());
  auto quantile = [&](double q) {  // linear between order statistics
    const double position = q * (rms.size() - 1);
    const std::size_t below = static_cast<std::size_t>(position);
    const double above = below + 1 < rms.size() ? rms[below + 1] : rms[below];
    return rms[below] + (position - below) * (above - rms[below]);
  };
  return {quantile(0.16), quantile(0.84)};
}
}  // namespace

Discrepancy discrepancy(const SimulatedRun& run, const TheorySeries& theory, const QuantityPair& quantity) {
  const auto mean = run.mean(quantity.simulated), sd = run.std_dev(quantity.simulated);
  const auto it = theory.values.find(quantity.theory);
  if (it == theory.values.end() || it->second.size() != mean.size())
    throw std::invalid_argument(fmt::format("theory has no series '{}' on the simulation's {} times", quantity.theory,
                                            mean.size()));
  Discrepancy result;
  result.d = run.d;
  result.quantity = quantity.simulated;
  const double seeds = run.seeds.size();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  double z_sum = 0;
  std::size_t z_count = 0;
  result.z_max = result.t_z_max = nan;
  for (std::size_t i = 0; i < mean.size(); ++i) {
    const double gap = std::abs(mean[i] - it->second[i]);
    result.rms += gap * gap / mean.size();
    result.max = std::max(result.max, gap);
    result.seed_std += sd[i] / mean.size();
    // ddof 0 -> ddof 1: sd * sqrt(S / (S - 1)); over sqrt(S): sd / sqrt(S - 1).
    const double sem = seeds >= 2 ? sd[i] / std::sqrt(seeds - 1) : nan;
    result.sem += sem / mean.size();
    if (sem > 0) {
      const double z = (mean[i] - it->second[i]) / sem;
      z_sum += z * z;
      ++z_count;
      if (!(std::abs(z) <= std::abs(result.z_max))) {
        result.z_max = z;
        result.t_z_max = run.times()[i];
      }
    }
  }
  result.rms = std::sqrt(result.rms);
  result.z_rms = z_count ? std::sqrt(z_sum / z_count) : nan;
  std::vector<std::vector<double>> per_seed;
  for (const auto& seed : run.seeds) per_seed.push_back(seed.values.at(quantity.simulated));
  std::tie(result.rms_low, result.rms_high) = bootstrap_rms(per_seed, it->second);
  return result;
}

std::vector<PowerLawFit> fit_finite_size(const std::vector<Discrepancy>& discrepancies,
                                         const std::vector<QuantityPair>& pairs) {
  std::vector<PowerLawFit> fits;
  for (const auto& q : pairs) {
    std::vector<double> d, rms;
    for (const auto& x : discrepancies)
      if (x.quantity == q.simulated && x.rms > 0) {
        d.push_back(x.d);
        rms.push_back(x.rms);
      }
    if (d.size() >= 2) {
      PowerLawFit fit = fit_power_law(d, rms);
      fit.quantity = q.simulated;
      fits.push_back(fit);
    }
  }
  return fits;
}

void write_discrepancy_tables(const std::vector<Discrepancy>& discrepancies, const std::vector<PowerLawFit>& fits,
                              const std::filesystem::path& directory, const std::string& size_column) {
  core::CsvTable discrepancy_table(
      {size_column, "quantity", "rms", "max", "seed_std", "sem", "z_rms", "z_max", "t_z_max"});
  for (const auto& x : discrepancies)
    discrepancy_table.add_row(std::vector<std::string>{
        std::to_string(x.d), x.quantity, core::csv_number(x.rms), core::csv_number(x.max), core::csv_number(x.seed_std),
        core::csv_number(x.sem), core::csv_number(x.z_rms), core::csv_number(x.z_max), core::csv_number(x.t_z_max)});
  discrepancy_table.write(directory / "discrepancy.csv");
  core::CsvTable fit_table({"quantity", "exponent", "exponent_stderr", "prefactor"});
  for (const auto& f : fits)
    fit_table.add_row(std::vector<std::string>{f.quantity, core::csv_number(f.exponent),
                                               core::csv_number(f.exponent_stderr), core::csv_number(f.prefactor)});
  fit_table.write(directory / "finite_size_fit.csv");
}

std::string discrepancy_report(const std::vector<Discrepancy>& discrepancies, const std::vector<PowerLawFit>& fits,
                               const std::string& size_column) {
  auto number = [](double x) { return std::isfinite(x) ? fmt::format("{:.3f}", x) : std::string("—"); };
  std::string r =
      "## Discrepancy |seed mean - theory| over the observation times\n\n"
      "z = (seed mean - theory) / (standard error of the seed mean) at each time: |z| up to about 2 is "
      "seed noise, a z_rms of 5 is a disagreement of five standard errors. The s.e. counts the seeds' "
      "scatter only: an effect that every seed shares (a finite-size bias the theory lacks) reads as a "
      "large z however many seeds there are (docs/theory.md §7).\n\n| " +
      size_column +
      " | quantity | RMS | max | mean seed s.d. | mean s.e. | z_rms | largest z (at t) |\n"
      "|---|---|---|---|---|---|---|---|\n";
  auto z_cell = [&](double z, double t) {
    return std::isfinite(z) ? fmt::format("{:+.2f} ({:.4g})", z, t) : std::string("—");
  };
  for (const auto& x : discrepancies)
    r += fmt::format("| {} | {} | {:.4g} | {:.4g} | {:.4g} | {:.4g} | {} | {} |\n", x.d, x.quantity, x.rms, x.max,
                     x.seed_std, x.sem, number(x.z_rms), z_cell(x.z_max, x.t_z_max));
  if (!fits.empty()) {
    r += "\n## Finite-size scaling: RMS error ~ " + size_column + "^exponent (log-log least squares)\n\n"
         "| quantity | exponent | standard error |\n|---|---|---|\n";
    for (const auto& f : fits)
      r += fmt::format("| {} | {} | {} |\n", f.quantity, number(f.exponent), number(f.exponent_stderr));
  }
  return r;
}

}  // namespace cotdyn::compare
