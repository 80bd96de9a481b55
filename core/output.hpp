#pragma once
// Results on disk: every file is written atomically (a temporary file in the same directory, then a
// rename), so a reader or a killed run never sees a half-written file.
#include <filesystem>
#include <string>
#include <vector>

#include <cotdyn/plots/atomic_write.hpp>

namespace cotdyn::core {

// One implementation for the whole project (plots/ is the leaf library that every writer links).
using plots::write_file_atomically;

// CSV numbers carry 17 significant digits (enough to round-trip a double).
std::string csv_number(double value);

// A CSV table built in memory and written atomically.
class CsvTable {
 public:
  explicit CsvTable(std::vector<std::string> columns);
  void add_row(const std::vector<double>& values);
  void add_row(const std::vector<std::string>& cells);
  std::string str() const;
  void write(const std::filesystem::path& path) const { write_file_atomically(path, str()); }
  std::size_t columns() const { return columns_.size(); }

 private:
  std::vector<std::string> columns_;
  std::string body_;
};

}  // namespace cotdyn::core
