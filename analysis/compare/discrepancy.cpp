#include <cotdyn/analysis/compare/discrepancy.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include <cotdyn/core/output.hpp>

namespace cotdyn::compare {

Discrepancy discrepancy(const SimulatedRun& run, const TheorySeries& theory, const QuantityPair& quantity) {
  const auto mean = run.mean(quantity.simulated), sd = run.std_dev(quantity.simulated);
  const auto it = theory.values.find(quantity.theory);
  if (it == theory.values.end() || it->second.size() != mean.size())
    throw std::invalid_argument(fmt::format("theory has no series '{}' on the simulation's {} times", quantity.theory,
                                            mean.size()));
  Discrepancy result;
  result.d = run.d;
  result.quantity = quantity.simulated;
  for (std::size_t i = 0; i < mean.size(); ++i) {
    const double gap = std::abs(mean[i] - it->second[i]);
    result.rms += gap * gap / mean.size();
    result.max = std::max(result.max, gap);
    result.seed_std += sd[i] / mean.size();
  }
  result.rms = std::sqrt(result.rms);
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
  core::CsvTable discrepancy_table({size_column, "quantity", "rms", "max", "seed_std"});
  for (const auto& x : discrepancies)
    discrepancy_table.add_row(std::vector<std::string>{std::to_string(x.d), x.quantity, core::csv_number(x.rms),
                                                       core::csv_number(x.max), core::csv_number(x.seed_std)});
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
  std::string r = "## Discrepancy |seed mean - theory| over the observation times\n\n| " + size_column +
                  " | quantity | RMS | max | mean seed s.d. |\n|---|---|---|---|---|\n";
  for (const auto& x : discrepancies)
    r += fmt::format("| {} | {} | {:.4g} | {:.4g} | {:.4g} |\n", x.d, x.quantity, x.rms, x.max, x.seed_std);
  if (!fits.empty()) {
    r += "\n## Finite-size scaling: RMS error ~ " + size_column + "^exponent (log-log least squares)\n\n"
         "| quantity | exponent | standard error |\n|---|---|---|\n";
    for (const auto& f : fits)
      r += fmt::format("| {} | {} | {} |\n", f.quantity, number(f.exponent), number(f.exponent_stderr));
  }
  return r;
}

}  // namespace cotdyn::compare
