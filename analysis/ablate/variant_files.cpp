#include <cotdyn/analysis/ablate/variant_files.hpp>

#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cotdyn/core/output.hpp>

namespace cotdyn::ablate {

std::filesystem::path variant_run_stem(const std::filesystem::path& directory, const std::string& variant, int d) {
  return directory / "runs" / fmt::format("{}_d{}", variant_slug(variant), d);
}

void write_variant_run(const std::filesystem::path& directory, const Variant& variant, const VariantRun& run,
                       const std::vector<std::string>& columns) {
  const auto stem = variant_run_stem(directory, variant.name, run.d);
  std::filesystem::create_directories(stem.parent_path());
  std::vector<std::string> header = {"seed", "t"};
  header.insert(header.end(), columns.begin(), columns.end());
  core::CsvTable table(header);
  for (const auto& seed : run.run.seeds)
    for (std::size_t i = 0; i < seed.t.size(); ++i) {
      std::vector<std::string> cells = {std::to_string(seed.seed), core::csv_number(seed.t[i])};
      for (const auto& c : columns) cells.push_back(core::csv_number(seed.values.at(c).at(i)));
      table.add_row(cells);
    }
  table.write(stem.string() + ".csv");
  const nlohmann::json info = {{"variant", variant.name},   {"switches", variant.switches},
                               {"d", run.d},                {"columns", columns},
                               {"seed_failures", run.seed_failures}, {"seconds", run.seconds}};
  core::write_file_atomically(stem.string() + ".json", info.dump(2) + "\n");
}

std::optional<VariantRun> read_variant_run(const std::filesystem::path& directory, const Variant& variant,
                                           std::size_t variant_index, int d) {
  const auto stem = variant_run_stem(directory, variant.name, d);
  const std::string json_path = stem.string() + ".json", csv_path = stem.string() + ".csv";
  if (!std::filesystem::exists(json_path)) return std::nullopt;
  const auto fail = [&](const std::string& why) {
    return std::runtime_error(fmt::format("{}: {}", json_path, why));
  };
  nlohmann::json info;
  try {
    std::ifstream in(json_path);
    info = nlohmann::json::parse(in);
  } catch (const std::exception& e) {
    throw fail(fmt::format("not valid JSON ({})", e.what()));
  }
  if (info.value("variant", std::string()) != variant.name || info.value("d", 0) != d)
    throw fail(fmt::format("belongs to variant \"{}\" at d = {}, expected \"{}\" at d = {}",
                           info.value("variant", std::string()), info.value("d", 0), variant.name, d));
  VariantRun run;
  run.variant = variant_index;
  run.d = d;
  run.run.d = d;
  run.seconds = info.value("seconds", 0.0);
  run.seed_failures = info.value("seed_failures", std::vector<std::string>{});
  const auto columns = info.at("columns").get<std::vector<std::string>>();
  std::ifstream in(csv_path);
  if (!in) throw fail(fmt::format("its series {} is missing", csv_path));
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream fields(line);
    for (std::string cell; std::getline(fields, cell, ',');) cells.push_back(cell);
    if (!line.empty() && line.back() == ',') cells.emplace_back();
    if (cells.size() != columns.size() + 2) throw fail(fmt::format("{}: a row has {} cells, expected {}", csv_path,
                                                                   cells.size(), columns.size() + 2));
    const auto value = [](const std::string& cell) { return cell.empty() ? NAN : std::stod(cell); };
    const std::uint64_t seed = std::stoull(cells[0]);
    if (run.run.seeds.empty() || run.run.seeds.back().seed != seed) run.run.seeds.push_back({seed, {}, {}});
    auto& s = run.run.seeds.back();
    s.t.push_back(value(cells[1]));
    for (std::size_t c = 0; c < columns.size(); ++c) s.values[columns[c]].push_back(value(cells[c + 2]));
  }
  return run;
}

}  // namespace cotdyn::ablate
