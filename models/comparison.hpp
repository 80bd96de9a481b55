#pragma once
// What `compare` hands a model and what a model adds to it (docs/models.md, the
// comparison_additions() hook). Torch-free: measurements and theory as plain data.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <cotdyn/core/output.hpp>
#include <cotdyn/models/trajectory.hpp>
#include <cotdyn/plots/figure.hpp>

namespace cotdyn::models {

// A simulated column and the theory column that `compare` holds it against (seed mean - theory).
struct ComparedQuantity {
  std::string simulated;
  std::string theory;
};

// One simulated size as `compare` holds it against the theory: each kept seed's measurements (column
// "t" first, then the simulated system's columns) and the theory (theory() at this size, with its
// milestones) on the same observation times.
// The seed mean and standard deviation (ddof 0) at every time of one quantity given per seed (all
// on the same times): the one rule of compare's discrepancies and of the models' additions.
std::vector<double> seed_mean(const std::vector<std::vector<double>>& per_seed);
std::vector<double> seed_std_dev(const std::vector<std::vector<double>>& per_seed);

// The first time at which `values` reaches `level` (NaN: never), and the median of per-seed times
// with NaN counted as +infinity (NaN when the median is not reached).
double first_reach(const std::vector<double>& t, const std::vector<double>& values, double level);
double median_with_unreached(std::vector<double> times);

struct ComparedSize {
  int size = 0;
  std::vector<std::uint64_t> seeds;  // train.seed + index, increasing
  std::vector<Trajectory> measured;  // one per seed, in the order of `seeds`
  Trajectory theory;

  // seed_mean and seed_std_dev of a measured column.
  std::vector<double> mean(const std::string& column) const;
  std::vector<double> std_dev(const std::string& column) const;
};

// A table a model adds, written as `file` (a CSV file name) in the comparison's directory.
struct ComparisonTable {
  std::string file;
  core::CsvTable table;
};

// A prediction of the theory that is not a trajectory (a count, a bound, an ordering, a scaling),
// held against what the simulation measured. compare writes them to predictions.csv and the report.
struct PredictionCheck {
  std::string name;        // short label, e.g. "B1 direct signal decay"
  std::string prediction;  // what the theory (or the design's acceptance rule) says
  std::string measured;    // what was measured, with its numbers
  std::string verdict;     // "holds", "fails" or "not tested" (and why, in `measured`)
};
// Markdown table of prediction checks, and the CSV table (name, prediction, measured, verdict).
std::string predictions_markdown(const std::vector<PredictionCheck>& checks);
core::CsvTable predictions_table(const std::vector<PredictionCheck>& checks);

// What a model adds to `compare`, beside the generic comparison.
struct ComparisonAdditions {
  std::vector<ComparisonTable> tables;  // written in the comparison's directory
  std::vector<plots::Figure> figures;   // written as figures/NAME.* (PNG, PDF, data and script)
  std::string report;                   // Markdown sections appended to report.md
  nlohmann::json results;               // merged into the manifest's results
  // Further compared pairs on columns the model derives from the measurements (the committee machine's
  // R and Q with the student units aligned to each seed's own ODE). derived[k][e] holds, for sizes[k]
  // and its seed e, the derived columns at the observation times ("t" first); compare adds them to that
  // seed's measurements and holds each of `derived_pairs` against the theory by its own rule, after the
  // pairs of compared(), in discrepancy.csv, finite_size_fit.csv and the report's tables.
  std::vector<ComparedQuantity> derived_pairs;
  // The theory's predictions that are not trajectories, each against its measurement.
  std::vector<PredictionCheck> predictions;
  std::vector<std::vector<Trajectory>> derived;
};

}  // namespace cotdyn::models
