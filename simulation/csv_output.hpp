#pragma once
// simulation.csv (one row per seed and time, streamed) and simulation_summary.csv (mean and
// standard deviation over seeds, ddof 0, per size and time). Numbers with 17 significant digits.
// The size's column is named by the model (models::Model::size_column(): "d", "N"). Torch-free.
#include <cstdio>
#include <string>
#include <vector>

#include <cotdyn/simulation/measurement.hpp>

#include <cotdyn/plots/atomic_write.hpp>

namespace cotdyn::simulation {

// seed,<size_column>,step,t,<columns>
std::string csv_header(const std::vector<std::string>& columns, const std::string& size_column = "d");
std::string csv_row(const Measurement& row);

// Appends rows to a CSV file and flushes after each batch of rows, so a crash keeps them.
class CsvStream {
 public:
  // Creates the file with its header unless `append` is set (then the file must exist).
  CsvStream(const std::string& path, const std::vector<std::string>& columns, bool append,
            const std::string& size_column = "d");
  ~CsvStream();
  CsvStream(const CsvStream&) = delete;
  CsvStream& operator=(const CsvStream&) = delete;
  void write(const std::vector<Measurement>& rows);

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
};

// Writes `content` to `path` through a temporary file and a rename (atomic on POSIX); shared with plots/.
using plots::write_file_atomically;

// Whole files, atomically.
void write_measurements_csv(const std::string& path, const std::vector<std::string>& columns,
                            const std::vector<Measurement>& rows, const std::string& size_column = "d");
void write_summary_csv(const std::string& path, const std::vector<std::string>& columns,
                       const std::vector<Measurement>& rows, const std::string& size_column = "d");

}  // namespace cotdyn::simulation
