#include <cotdyn/simulation/csv_output.hpp>

#include <cmath>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

namespace cotdyn::simulation {

std::string csv_header(const std::vector<std::string>& columns, const std::string& size_column) {
  std::string header = "seed," + size_column + ",step,t";
  for (const auto& c : columns) header += "," + c;
  return header + "\n";
}

std::string csv_row(const Measurement& row) {
  std::string line = fmt::format("{},{},{},{:.17g}", row.seed, row.d, row.step, row.t);
  for (double v : row.values) line += fmt::format(",{:.17g}", v);
  return line + "\n";
}

void write_measurements_csv(const std::string& path, const std::vector<std::string>& columns,
                            const std::vector<Measurement>& rows, const std::string& size_column) {
  std::string content = csv_header(columns, size_column);
  for (const auto& row : rows) content += csv_row(row);
  write_file_atomically(path, content);
}

void write_summary_csv(const std::string& path, const std::vector<std::string>& columns,
                       const std::vector<Measurement>& rows, const std::string& size_column) {
  std::string content = size_column + ",step,t,seeds";
  for (const auto& c : columns) content += fmt::format(",{}_mean,{}_std", c, c);
  content += "\n";
  std::map<std::pair<int, std::int64_t>, std::vector<const Measurement*>> groups;  // sorted by size, then step
  for (const auto& row : rows) groups[{row.d, row.step}].push_back(&row);
  for (const auto& [key, members] : groups) {
    content += fmt::format("{},{},{:.17g},{}", key.first, key.second, members.front()->t, members.size());
    for (std::size_t c = 0; c < columns.size(); ++c) {
      double mean = 0;
      for (const auto* m : members) mean += m->values[c];
      mean /= members.size();
      double variance = 0;
      for (const auto* m : members) variance += (m->values[c] - mean) * (m->values[c] - mean);
      variance /= members.size();  // ddof 0 (docs/theory.md §3)
      content += fmt::format(",{:.17g},{:.17g}", mean, std::sqrt(variance));
    }
    content += "\n";
  }
  write_file_atomically(path, content);
}

}  // namespace cotdyn::simulation
