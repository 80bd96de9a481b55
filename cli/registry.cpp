#include <cotdyn/cli/registry.hpp>

#include <algorithm>
#include <utility>
#include <vector>

namespace cotdyn::cli {


namespace {
std::vector<std::pair<int, CommandAdder>>& commands() {
  static std::vector<std::pair<int, CommandAdder>> registered;  // constructed on first use
  return registered;
}
}  // namespace

bool register_command(int order, CommandAdder add) {
  commands().emplace_back(order, add);
  return true;
}

void add_registered_commands(CLI::App& app) {
  auto list = commands();
  std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& entry : list) entry.second(app);
}

}  // namespace cotdyn::cli
