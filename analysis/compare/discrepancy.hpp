#pragma once
// How far the seed mean is from the theory, and how that distance scales with d.
#include <filesystem>
#include <string>
#include <vector>

#include <cotdyn/analysis/compare/comparison_data.hpp>
#include <cotdyn/models/model.hpp>
#include <cotdyn/models/power_law_fit.hpp>

namespace cotdyn::compare {

struct Discrepancy {
  int d = 0;
  std::string quantity;  // M, alpha, R, Q, R_c, Q_c, step_acc, rollout_acc
  double rms = 0;        // RMS over observation times of |seed mean - theory|
  double max = 0;        // maximum over observation times of |seed mean - theory|
  double seed_std = 0;   // mean over observation times of the seed standard deviation (ddof 0)
  // The same gap in units of its error (docs/theory.md §7): the standard error of the seed mean,
  // sem(t) = s.d.(ddof 1) / sqrt(seeds), and z(t) = (seed mean - theory) / sem(t) at the times where
  // sem(t) > 0. NaN with one seed, or when the seeds agree exactly at every time.
  double sem = 0;        // mean over observation times of sem(t)
  double z_rms = 0;      // RMS over those times of z(t)
  double z_max = 0;      // the z(t) of largest modulus, signed (> 0: the simulation lies above the theory)
  double t_z_max = 0;    // its time
  // A seed bootstrap of `rms` (resample the seeds with replacement, 16th and 84th percentiles of the
  // RMS), the error bar of the finite-size figure: it carries the correlation of a seed's errors
  // over time, which a per-time error cannot.
  double rms_low = 0, rms_high = 0;
};

// The simulated quantity and the theory quantity it is compared with: each model names its pairs
// (models::Model::compared()).
using QuantityPair = models::ComparedQuantity;

Discrepancy discrepancy(const SimulatedRun& run, const TheorySeries& theory, const QuantityPair& quantity);

// The power-law fit of the finite-size scaling (models/power_law_fit.hpp).
using models::fit_power_law;
using models::PowerLawFit;

// For each pair, the fit of its RMS over the sizes (those with RMS > 0; a pair needs two sizes).
std::vector<PowerLawFit> fit_finite_size(const std::vector<Discrepancy>& discrepancies,
                                         const std::vector<QuantityPair>& pairs);

// discrepancy.csv (<size_column>, quantity, rms, max, seed_std, sem, z_rms, z_max, t_z_max) and finite_size_fit.csv (quantity,
// exponent, exponent_stderr, prefactor) in `directory`; the size column is the model's
// (models::Model::size_column()).
void write_discrepancy_tables(const std::vector<Discrepancy>& discrepancies, const std::vector<PowerLawFit>& fits,
                              const std::filesystem::path& directory, const std::string& size_column = "d");
// The report's discrepancy table and, with fits, its finite-size table (Markdown).
std::string discrepancy_report(const std::vector<Discrepancy>& discrepancies, const std::vector<PowerLawFit>& fits,
                               const std::string& size_column = "d");

}  // namespace cotdyn::compare
