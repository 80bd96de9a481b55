#pragma once
// The three figures of `cotdyn compare`: order parameters, accuracy, finite-size scaling.
#include <filesystem>
#include <vector>

#include <cotdyn/analysis/compare/comparison_data.hpp>
#include <cotdyn/analysis/compare/discrepancy.hpp>

namespace cotdyn::compare {

struct CompareFigureInput {
  std::vector<SimulatedRun> runs;        // one per d
  std::vector<TheorySeries> theory;      // one per d, same order
  TheorySeries theory_dense;             // the ODE on a fine grid (d = infinity accuracies)
  double sigma2 = 0.01;
  std::vector<Discrepancy> discrepancies;
  std::vector<PowerLawFit> fits;
};

// Writes order_parameters, accuracy and finite_size (data, .gp, .png, .pdf) into `directory`.
void write_compare_figures(const CompareFigureInput& input, const std::filesystem::path& directory, bool render = true);

}  // namespace cotdyn::compare
