#pragma once
// One row of simulation output and the status of a run. Torch-free.
#include <cstdint>
#include <string>
#include <vector>

namespace cotdyn::simulation {

struct Measurement {
  std::uint64_t seed = 0;     // the seed's value: base_seed + index
  int d = 0;
  std::int64_t step = 0;
  double t = 0;               // step / d
  std::vector<double> values; // one per column of the run (measurement_columns() for docs/theory.md §3)
};

struct SeedFailure {
  std::uint64_t seed = 0;
  std::int64_t step = 0;
  double t = 0;
  std::string quantity;  // e.g. "training loss", "logic coefficients C"
  std::string message() const;
};

// A finding that makes a run meaningless though its numbers are finite (run_checks.hpp).
struct RunWarning {
  std::uint64_t seed = 0;
  std::int64_t step = 0;
  double t = 0;
  std::string quantity;  // "training loss", "M", "output softmax"
  std::string what;      // the finding, one clause
  std::string message() const;
};

struct RunStatus {
  bool interrupted = false;           // stopped by a request before t_max
  std::vector<SeedFailure> failures;  // seeds stopped by a non-finite quantity
  std::vector<RunWarning> warnings;   // meaningless-run findings (run_checks.hpp)
  bool stopped_by_warning = false;    // RunOptions::strict: stopped at the first warning
  bool completed() const { return !interrupted && !stopped_by_warning; }
};

// Measurements in memory, with their column names (the `train` entry point).
struct TrainingResult {
  std::vector<std::string> columns;
  std::vector<Measurement> measurements;
  RunStatus status;
  // Value of a named column in a row; throws std::out_of_range for an unknown name.
  double value(const Measurement& row, const std::string& column) const;
};

}  // namespace cotdyn::simulation
