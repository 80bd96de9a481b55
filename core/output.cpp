#include <cotdyn/core/output.hpp>

#include <cmath>
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>
#include <unistd.h>

namespace cotdyn::core {

std::string csv_number(double value) {
  if (std::isnan(value)) return "";  // an absent value is an empty cell
  return fmt::format("{:.17g}", value);
}

CsvTable::CsvTable(std::vector<std::string> columns) : columns_(std::move(columns)) {}

void CsvTable::add_row(const std::vector<double>& values) {
  std::vector<std::string> cells;
  cells.reserve(values.size());
  for (double v : values) cells.push_back(csv_number(v));
  add_row(cells);
}

void CsvTable::add_row(const std::vector<std::string>& cells) {
  if (cells.size() != columns_.size())
    throw std::logic_error(fmt::format("CSV row has {} cells for {} columns", cells.size(), columns_.size()));
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i) body_ += ',';
    body_ += cells[i];
  }
  body_ += '\n';
}

std::string CsvTable::str() const {
  std::string header;
  for (std::size_t i = 0; i < columns_.size(); ++i) header += (i ? "," : "") + columns_[i];
  return header + '\n' + body_;
}

}  // namespace cotdyn::core
