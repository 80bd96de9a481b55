#include <cotdyn/analysis/sweep/sweep_plan.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>
#include <stdexcept>

#include <fmt/format.h>

#include <cotdyn/core/output.hpp>
#include <cotdyn/models/registry.hpp>

namespace cotdyn::sweep {

namespace {

constexpr double max_grid_points = 1e7;  // a single axis longer than this is a typo

std::string axis_name(const std::string& key) { return fmt::format("axes.\"{}\"", key); }

// [a, b, n] of a linear or log range.
std::vector<double> grid(const std::string& key, const toml::node& node, AxisScale scale) {
  const auto* range = node.as_array();
  const std::string form = scale == AxisScale::log ? "log" : "linear";
  if (!range || range->size() != 3 || !(*range)[0].is_number() || !(*range)[1].is_number() ||
      !(*range)[2].is_integer())
    throw std::invalid_argument(fmt::format("{}.{} = {}: must be [first, last, count] with an integer count",
                                            axis_name(key), form, core::describe(node)));
  const double a = *(*range)[0].value<double>(), b = *(*range)[1].value<double>();
  const auto n = *(*range)[2].value<std::int64_t>();
  if (n < 1 || static_cast<double>(n) > max_grid_points)
    throw std::invalid_argument(fmt::format("{}.{} = {}: the count must be in [1, {:.0f}]", axis_name(key), form,
                                            core::describe(node), max_grid_points));
  if (!std::isfinite(a) || !std::isfinite(b))
    throw std::invalid_argument(
        fmt::format("{}.{} = {}: the ends must be finite numbers", axis_name(key), form, core::describe(node)));
  if (scale == AxisScale::log && !(a > 0 && b > 0))
    throw std::invalid_argument(
        fmt::format("{}.log = {}: the ends of a log range must be > 0", axis_name(key), core::describe(node)));
  if (n == 1 && a != b)
    throw std::invalid_argument(fmt::format("{}.{} = {}: a count of 1 needs first == last", axis_name(key), form,
                                            core::describe(node)));
  std::vector<double> values(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) {
    const double f = n == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(n - 1);
    values[i] = scale == AxisScale::log ? std::exp(std::log(a) + f * (std::log(b) - std::log(a))) : a + f * (b - a);
  }
  values.front() = a;  // the ends exactly as written
  values.back() = b;
  return values;
}

Axis read_axis(const std::string& key, const toml::node& node, const core::Config& base) {
  const auto* spec = node.as_table();
  if (!spec || spec->size() != 1)
    throw std::invalid_argument(fmt::format(
        "{} = {}: must be one of {{ values = [...] }}, {{ linear = [a, b, n] }}, {{ log = [a, b, n] }}",
        axis_name(key), core::describe(node)));
  // Unknown keys fail here, with the list of known keys of the section.
  const toml::node* base_value = nullptr;
  try {
    base_value = &base.get(key);
  } catch (const std::invalid_argument&) {
    core::Config probe = base;
    try {
      probe.set(key, toml::value<double>(0.0));
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(fmt::format("{}: {}", axis_name(key), e.what()));
    }
    throw;
  }

  Axis axis;
  axis.key = key;
  const auto first = spec->begin();  // the iterator owns the key/value proxy: keep it alive
  const auto& form = first->first;
  const toml::node& value = first->second;
  if (form == "values") {
    axis.scale = AxisScale::values;
    const auto* list = value.as_array();
    if (!list || list->empty())
      throw std::invalid_argument(
          fmt::format("{}.values = {}: must be a non-empty list", axis_name(key), core::describe(value)));
    for (const auto& element : *list) {
      if (!(element.is_number() || element.is_string() || element.is_boolean()))
        throw std::invalid_argument(fmt::format("{}.values: {} is not a number, string or boolean", axis_name(key),
                                                core::describe(element)));
      element.visit([&axis](auto&& v) { axis.values.push_back(v); });
    }
  } else if (form == "linear" || form == "log") {
    axis.scale = form == "log" ? AxisScale::log : AxisScale::linear;
    for (double v : grid(key, value, axis.scale)) {
      if (base_value->is_integer()) {  // an integer key (task.L, model.d, ...) takes integer grid points only
        const double rounded = std::round(v);
        if (std::abs(v - rounded) > 1e-9 * std::max(1.0, std::abs(v)))
          throw std::invalid_argument(fmt::format("{}.{} = {}: gives {} but {} is an integer key", axis_name(key),
                                                  std::string(form.str()), core::describe(value), v, key));
        axis.values.push_back(static_cast<std::int64_t>(rounded));
      } else {
        axis.values.push_back(v);
      }
    }
  } else {
    throw std::invalid_argument(fmt::format("{}.{}: unknown range form (allowed: values, linear, log)",
                                            axis_name(key), std::string(form.str())));
  }
  // The value's type against the config (e.g. a string for a number key) is checked by the point runner.
  core::Config probe = base;
  try {
    probe.set(key, axis.values[0]);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(fmt::format("{}: {}", axis_name(key), e.what()));
  }
  return axis;
}

bool is_range(const toml::table& t) {
  return t.size() == 1 && (t.contains("values") || t.contains("linear") || t.contains("log"));
}

// Quoted keys ("train.eta_A" = ...) and TOML's own dotted keys (train.eta_A = ...) both name an axis.
void collect_axes(const toml::table& table, const std::string& prefix,
                  std::vector<std::pair<const toml::node*, std::string>>& found) {
  for (auto&& [k, node] : table) {
    const std::string key = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    const auto* inner = node.as_table();
    if (inner && !is_range(*inner) && !inner->empty() && key.find('.') == std::string::npos)
      collect_axes(*inner, key, found);
    else
      found.emplace_back(&node, key);
  }
}

// The keys of [set], quoted ("theory.rtol" = ...) or TOML's own dotted keys (theory.rtol = ...).
void collect_settings(const toml::table& table, const std::string& prefix,
                      std::vector<std::pair<const toml::node*, std::string>>& found) {
  for (auto&& [k, node] : table) {
    const std::string key = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    const auto* inner = node.as_table();
    if (inner && key.find('.') == std::string::npos)
      collect_settings(*inner, key, found);
    else if (inner)
      throw std::invalid_argument(fmt::format("set.\"{}\" = {}: must be a value, not a table", key, core::describe(node)));
    else
      found.emplace_back(&node, key);
  }
}

}  // namespace

std::string to_string(SweepKind kind) {
  switch (kind) {
    case SweepKind::theory: return "theory";
    case SweepKind::simulate: return "simulate";
    case SweepKind::compare: return "compare";
  }
  return "?";
}
std::string to_string(Combine combine) { return combine == Combine::product ? "product" : "zip"; }
std::string to_string(AxisScale scale) {
  return scale == AxisScale::values ? "values" : (scale == AxisScale::linear ? "linear" : "log");
}

std::string content_hash(const std::string& text) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return fmt::format("{:016x}", h);
}

std::string format_value(const toml::node& value) {
  if (value.is_integer()) return fmt::format("{}", *value.value<std::int64_t>());
  if (value.is_floating_point()) return core::csv_number(*value.value<double>());
  if (value.is_boolean()) return *value.value<bool>() ? "true" : "false";
  if (value.is_string()) {
    const std::string s = *value.value<std::string>();
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string quoted = "\"";
    for (char c : s) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
  }
  return core::describe(value);
}

nlohmann::json value_json(const toml::node& value) {
  if (value.is_integer()) return *value.value<std::int64_t>();
  if (value.is_floating_point()) return *value.value<double>();
  if (value.is_boolean()) return *value.value<bool>();
  if (value.is_string()) return *value.value<std::string>();
  return core::describe(value);
}

std::size_t SweepPlan::point_count() const {
  if (axes.empty()) return 1;
  if (combine == Combine::zip) return axes.front().values.size();
  std::size_t count = 1;
  for (const auto& axis : axes) count *= axis.values.size();
  return count;
}

std::vector<std::size_t> value_indices(Combine combine, const std::vector<std::size_t>& axis_sizes,
                                       std::size_t point) {
  std::vector<std::size_t> indices(axis_sizes.size());
  for (std::size_t k = axis_sizes.size(); k-- > 0;) {
    if (combine == Combine::zip) {
      indices[k] = point;
    } else {
      indices[k] = point % axis_sizes[k];
      point /= axis_sizes[k];
    }
  }
  return indices;
}

std::vector<std::size_t> SweepPlan::value_indices(std::size_t point) const {
  std::vector<std::size_t> sizes;
  for (const auto& axis : axes) sizes.push_back(axis.values.size());
  return sweep::value_indices(combine, sizes, point);
}

core::Config SweepPlan::point_config(std::size_t point) const {
  core::Config config = base;
  apply_point(point, config);
  return config;
}

void SweepPlan::apply_point(std::size_t point, core::Config& config) const {
  const auto indices = value_indices(point);
  for (std::size_t k = 0; k < axes.size(); ++k) config.set(axes[k].key, *axes[k].values.get(indices[k]));
}

bool SweepPlan::keeps_trajectories() const {
  return trajectories.value_or(point_count() <= max_points_with_trajectories);
}

nlohmann::json SweepPlan::to_json() const {
  nlohmann::json j;
  j["kind"] = to_string(kind);
  j["combine"] = to_string(combine);
  j["axes"] = nlohmann::json::array();
  for (const auto& axis : axes) {
    nlohmann::json values = nlohmann::json::array();
    for (const auto& v : axis.values) values.push_back(value_json(v));
    j["axes"].push_back({{"key", axis.key}, {"scale", to_string(axis.scale)}, {"values", values}});
  }
  j["base"] = nlohmann::json::parse(base.to_json());
  j["trajectories"] = keeps_trajectories();
  return j;
}

std::string SweepPlan::sweep_id() const { return content_hash(to_json().dump()); }

SweepPlan parse_sweep(const std::string& text, const std::string& directory, const std::string& origin,
                      const std::string& config_override, const std::vector<std::string>& assignments) {
  toml::table file;
  try {
    file = toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    throw std::invalid_argument(
        fmt::format("sweep file {}: not valid TOML: {} (line {})", origin, e.description(), e.source().begin.line));
  }
  for (auto&& [k, v] : file) {
    const std::string key(k.str());
    if (key != "kind" && key != "base" && key != "combine" && key != "trajectories" && key != "set" && key != "axes")
      throw std::invalid_argument(fmt::format(
          "sweep file {}: unknown key {} (allowed: kind, base, combine, trajectories, set, axes)", origin, key));
  }
  SweepPlan plan;
  const auto kind = file["kind"].value<std::string>();
  if (!kind)
    throw std::invalid_argument(
        fmt::format("sweep file {}: kind must be \"theory\", \"simulate\" or \"compare\"", origin));
  if (*kind == "theory") plan.kind = SweepKind::theory;
  else if (*kind == "simulate") plan.kind = SweepKind::simulate;
  else if (*kind == "compare") plan.kind = SweepKind::compare;
  else
    throw std::invalid_argument(fmt::format("kind = \"{}\": allowed are \"theory\", \"simulate\", \"compare\"", *kind));

  if (file.contains("combine")) {
    const auto combine = file["combine"].value<std::string>();
    if (combine == std::string("product")) plan.combine = Combine::product;
    else if (combine == std::string("zip")) plan.combine = Combine::zip;
    else
      throw std::invalid_argument(fmt::format("combine = {}: allowed are \"product\" and \"zip\"",
                                              core::describe(*file.get("combine"))));
  }

  if (file.contains("trajectories")) {
    const auto trajectories = file["trajectories"].value<bool>();
    if (!trajectories || !file.get("trajectories")->is_boolean())
      throw std::invalid_argument(fmt::format(
          "trajectories = {}: must be true or false (keep each point's trajectory table in its chunk file or not; "
          "default: kept up to {} points)",
          core::describe(*file.get("trajectories")), max_points_with_trajectories));
    plan.trajectories = *trajectories;
  }

  // [set]: config keys set for every point, on the base and under --config's file and --set.
  std::vector<std::pair<std::string, const toml::node*>> settings;
  if (file.contains("set")) {
    const auto* set = file["set"].as_table();
    if (!set)
      throw std::invalid_argument(fmt::format("set = {}: must be a table of config keys, e.g. [set] \"theory.rtol\" = 1e-6",
                                              core::describe(*file.get("set"))));
    std::vector<std::pair<const toml::node*, std::string>> found;
    collect_settings(*set, "", found);
    for (const auto& [node, key] : found) settings.emplace_back(key, node);
  }

  std::string base_file;  // the config file the sweep starts from, if any
  if (!config_override.empty()) {
    base_file = config_override;
  } else if (file.contains("base")) {
    const auto base = file["base"].value<std::string>();
    if (!base) throw std::invalid_argument(fmt::format("base = {}: must be a file name", core::describe(*file.get("base"))));
    std::filesystem::path path(*base);
    if (path.is_relative()) path = std::filesystem::path(directory) / path;
    if (!std::filesystem::is_regular_file(path))
      throw std::invalid_argument(fmt::format("base = \"{}\": no such file ({})", *base, path.string()));
    base_file = path.string();
  }
  // As for a command: the chosen model's defaults of generic keys, under the base file and the
  // assignments (models::resolve_config).
  plan.base = models::resolve_config([&](core::Config& config) {
    if (!base_file.empty()) config.merge_file(base_file);
    for (const auto& [key, node] : settings) {
      try {
        config.set(key, *node);
      } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(fmt::format("set.\"{}\": {}", key, e.what()));
      }
    }
    for (const auto& assignment : assignments) config.apply_set(assignment);
  });

  const auto* axes = file["axes"].as_table();
  if (file.contains("axes") && !axes)
    throw std::invalid_argument(fmt::format("sweep file {}: axes must be a table ([axes])", origin));
  if (!axes || axes->empty())
    throw std::invalid_argument(fmt::format(
        "sweep file {}: [axes] is empty; give at least one axis, e.g. \"train.eta_A\" = {{ values = [1, 2] }}",
        origin));
  std::vector<std::pair<const toml::node*, std::string>> found;
  collect_axes(*axes, "", found);
  // The file's order, not the table's alphabetical one.
  std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    const auto& sa = a.first->source().begin;
    const auto& sb = b.first->source().begin;
    return std::tie(sa.line, sa.column) < std::tie(sb.line, sb.column);
  });
  for (const auto& [node, key] : found) plan.axes.push_back(read_axis(key, *node, plan.base));
  for (const auto& [key, node] : settings)
    for (const auto& axis : plan.axes)
      if (axis.key == key)
        throw std::invalid_argument(fmt::format(
            "set.\"{}\" = {}: {} is also an axis; set it in one place (the axis gives every point its value)", key,
            core::describe(*node), key));

  if (plan.combine == Combine::zip) {
    for (const auto& axis : plan.axes)
      if (axis.values.size() != plan.axes.front().values.size())
        throw std::invalid_argument(fmt::format(
            "combine = \"zip\": {} has {} values but {} has {}; zipped axes need equal lengths",
            axis_name(axis.key), axis.values.size(), axis_name(plan.axes.front().key),
            plan.axes.front().values.size()));
  }
  return plan;
}

SweepPlan read_sweep_file(const std::string& path, const std::string& config_override,
                          const std::vector<std::string>& assignments) {
  std::ifstream in(path);
  if (!in) throw std::invalid_argument(fmt::format("sweep file {}: cannot read it", path));
  std::stringstream text;
  text << in.rdbuf();
  const auto directory = std::filesystem::path(path).parent_path().string();
  return parse_sweep(text.str(), directory.empty() ? "." : directory, path, config_override, assignments);
}

}  // namespace cotdyn::sweep
