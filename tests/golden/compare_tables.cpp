// compare_tables EXPECTED ACTUAL RTOL [IGNORED_COLUMN ...]: holds a CSV or whitespace table to a
// recorded one, cell by cell. Text cells must be equal; number cells within RTOL relative to the
// larger magnitude (RTOL = 0: the same double; NaN equals NaN). Columns named after RTOL are skipped
// (a file name that embeds a config hash, say). Prints the first difference and exits 1.
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {
std::vector<std::vector<std::string>> read_table(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    std::cerr << "compare_tables: cannot read " << path << '\n';
    std::exit(2);
  }
  std::vector<std::vector<std::string>> rows;
  for (std::string line; std::getline(in, line);) {
    for (char& c : line)
      if (c == ',') c = ' ';
    std::istringstream cells(line);
    std::vector<std::string> row;
    for (std::string cell; cells >> cell;) row.push_back(cell);
    rows.push_back(row);
  }
  return rows;
}

bool parse_number(const std::string& text, double& value) {
  char* end = nullptr;
  value = std::strtod(text.c_str(), &end);
  return end != text.c_str() && *end == '\0';
}

bool same_cell(const std::string& a, const std::string& b, double rtol) {
  if (a == b) return true;
  double x = 0, y = 0;
  if (!parse_number(a, x) || !parse_number(b, y)) return false;
  if (std::isnan(x) || std::isnan(y)) return std::isnan(x) && std::isnan(y);
  return std::abs(x - y) <= rtol * std::max(std::abs(x), std::abs(y));
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: compare_tables EXPECTED ACTUAL RTOL [IGNORED_COLUMN ...]\n";
    return 2;
  }
  const auto expected = read_table(argv[1]);
  const auto actual = read_table(argv[2]);
  const double rtol = std::atof(argv[3]);
  const std::set<std::string> ignored(argv + 4, argv + argc);
  std::set<std::size_t> skip;
  if (!expected.empty())
    for (std::size_t c = 0; c < expected[0].size(); ++c)
      if (ignored.count(expected[0][c])) skip.insert(c);
  if (expected.size() != actual.size()) {
    std::cerr << argv[2] << ": " << actual.size() << " lines, recorded " << expected.size() << '\n';
    return 1;
  }
  for (std::size_t r = 0; r < expected.size(); ++r) {
    if (expected[r].size() != actual[r].size()) {
      std::cerr << argv[2] << " line " << r + 1 << ": " << actual[r].size() << " cells, recorded "
                << expected[r].size() << '\n';
      return 1;
    }
    for (std::size_t c = 0; c < expected[r].size(); ++c)
      if (!skip.count(c) && !same_cell(expected[r][c], actual[r][c], rtol)) {
        std::cerr << argv[2] << " line " << r + 1 << " cell " << c + 1 << ": " << actual[r][c] << ", recorded "
                  << expected[r][c] << " (rtol " << rtol << ")\n";
        return 1;
      }
  }
  std::cout << argv[2] << ": " << expected.size() << " lines equal to the recording\n";
  return 0;
}
