#pragma once
// simulation.csv (one row per seed and time, rewritten whole at each observation) and simulation_summary.csv (mean and
// standard deviation over seeds, ddof 0, per size and time). Numbers with 17 significant digits.
// The size's column is named by the model (models::Model::size_column(): "d", "N"). Torch-free.
#include <string>
#include <vector>

#include <cotdyn/simulation/measurement.hpp>

#include <cotdyn/plots/atomic_write.hpp>

namespace cotdyn::simulation {

// seed,<size_column>,step,t,<columns>
std::string csv_header(const std::vector<std::string>& columns, const std::string& size_column = "d");
std::string csv_row(const Measurement& row);

// Writes `content` to `path` through a temporary file and a rename (atomic on POSIX); shared with plots/.
using plots::write_file_atomically;

// Whole files, atomically.
void write_measurements_csv(const std::string& path, const std::vector<std::string>& columns,
                            const std::vector<Measurement>& rows, const std::string& size_column = "d");
void write_summary_csv(const std::string& path, const std::vector<std::string>& columns,
                       const std::vector<Measurement>& rows, const std::string& size_column = "d");

}  // namespace cotdyn::simulation
