#pragma once
// Simulation measurements arranged for comparison with the theory: per d, per seed, a time series of
// every measured quantity. Torch-free, so the analysis is testable on synthetic data.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <cotdyn/simulation/measurement.hpp>

namespace cotdyn::compare {

struct SeedSeries {
  std::uint64_t seed = 0;
  std::vector<double> t;                                // observation times (step / d)
  std::map<std::string, std::vector<double>> values;    // quantity -> value at each time
};

struct SimulatedRun {
  int d = 0;
  std::vector<SeedSeries> seeds;  // all on the same times
  std::vector<std::string> warnings;  // the training's meaningless-run warnings (simulation/run_checks.hpp)

  const std::vector<double>& times() const { return seeds.front().t; }
  // Seed mean and standard deviation (ddof 0) of a quantity at each time.
  std::vector<double> mean(const std::string& quantity) const;
  std::vector<double> std_dev(const std::string& quantity) const;
  // The sample standard deviation (ddof 1) at each time: std_dev * sqrt(S / (S - 1)); NaN with one seed.
  std::vector<double> sample_std_dev(const std::string& quantity) const;
};

// The theory at the same times, per d (the logit-distribution accuracy depends on d).
struct TheorySeries {
  int d = 0;
  std::vector<double> t;
  std::map<std::string, std::vector<double>> values;  // M, alpha, R, Q, step_acc, rollout_acc, ...
  double lock_on_time = 0;        // exact, from the dense output
  double rollout_half_time = 0;   // predicted rollout accuracy = 0.5 at this d
};

// TrainingResult rows (seed, t, values) -> per-seed time series of one d, as `cotdyn compare`
// arranges them. A seed stopped early by a non-finite value (fewer rows) is left out.
SimulatedRun to_simulated_run(const simulation::TrainingResult& result, int d);

}  // namespace cotdyn::compare
