#include <cotdyn/analysis/ablate/variants.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cotdyn/models/state_tracking/resolve_simulation.hpp>

namespace cotdyn::ablate {

const std::vector<SwitchInfo>& known_switches() {
  static const std::vector<SwitchInfo> switches = {
      {"train_embeddings", "1: fixed random embeddings, tied unembedding"},
      {"content_qk", "2: content-free (beacon) query and key"},
      {"rope=geometric", "3: RoPE frequencies commensurate with the lag"},
      {"causal_attention", "4: action-segment mask, identity value and output"},
      {"logic_module=mlp", "5: bilinear logic module in (attention output, state)"},
      {"logic_module=bilinear_residual", "5: no v(x)v and x(x)x terms in the logic module"},
      {"single_lr", "6: separate learning rates eta_A, eta_W"},
      {"optimizer=adam", "online SGD"},
      {"logic_init=X", "zero initial logic tensor"},  // X: the std of T(0), a number > 0
  };
  return switches;
}

std::string allowed_switch_names() {
  std::string out;
  for (const auto& s : known_switches()) out += (out.empty() ? "" : ", ") + s.name;
  return out;
}

std::string restriction_of(const std::string& name) {
  const std::string pattern = name.rfind("logic_init=", 0) == 0 ? "logic_init=X" : name;
  for (const auto& s : known_switches())
    if (s.name == pattern) return s.restriction;
  return "";
}

// A switch's name is its [ablation] key, with "=value" for a key that is not a flag (the names of
// AblationSettings::active()); the assignment follows from it.
std::string switch_assignment(const std::string& name, const std::string& key) {
  const bool known = std::any_of(known_switches().begin(), known_switches().end(),
                                 [&](const SwitchInfo& s) { return s.name == name && s.name != "logic_init=X"; });
  const auto equals = name.find('=');
  if (known && equals == std::string::npos) return fmt::format("ablation.{}=true", name);
  if (known) return fmt::format("ablation.{}=\"{}\"", name.substr(0, equals), name.substr(equals + 1));
  const std::string init = "logic_init=";
  if (name.rfind(init, 0) == 0) {
    const std::string text = name.substr(init.size());
    double value = NAN;
    std::size_t used = 0;
    try {
      value = std::stod(text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != text.size() || text.empty() || !(value > 0) || !std::isfinite(value))
      throw std::invalid_argument(fmt::format("{} contains \"{}\": logic_init=X needs a number X > 0 (e.g. logic_init=0.1)",
                                              key, name));
    return fmt::format("ablation.logic_init={}", text);
  }
  throw std::invalid_argument(fmt::format("{} contains \"{}\": unknown switch; allowed are \"baseline\" and {}", key,
                                          name, allowed_switch_names()));
}

namespace {

Variant make_variant(const std::vector<std::string>& switches, const std::string& key) {
  Variant v;
  if (switches.size() == 1 && switches.front() == "baseline") {
    v.name = "baseline";
    return v;
  }
  for (const auto& s : switches) {
    if (s == "baseline")
      throw std::invalid_argument(fmt::format("{}: \"baseline\" (every switch off) cannot be combined with a switch", key));
    v.assignments.push_back(switch_assignment(s, key));
    v.switches.push_back(s);
    v.name += (v.name.empty() ? "" : "+") + s;
  }
  return v;
}

// The config key a switch sets ("logic_module=mlp" -> "logic_module"): a pair of two values of one
// key cannot be on at once.
std::string switch_key(const std::string& name) { return name.substr(0, name.find('=')); }

}  // namespace

AblateSettings resolve_ablate_settings(const core::Config& config) {
  AblateSettings s;
  // The study turns the switches on one variant at a time; a switch already on in [ablation] would
  // silently change the baseline.
  std::vector<std::string> on;
  const auto ablation = models::state_tracking::resolve_ablation_settings(
      config, static_cast<int>(config.get_integer("model.d")), static_cast<int>(config.get_integer("task.L")));
  for (const auto& name : ablation.active()) {
    const auto equals = name.find('=');
    const std::string key = name.substr(0, equals);
    if (equals == std::string::npos) on.push_back(fmt::format("ablation.{} = true", key));
    else if (key == "logic_init") on.push_back(fmt::format("ablation.{} = {}", key, ablation.logic_init));
    else on.push_back(fmt::format("ablation.{} = \"{}\"", key, name.substr(equals + 1)));
  }
  if (!on.empty())
    throw std::invalid_argument(fmt::format(
        "{}: cotdyn ablate needs every [ablation] switch off in the config (the baseline); it turns them on per "
        "variant from ablate.switches and ablate.pairs",
        fmt::join(on, ", ")));
  const auto dims = config.get_integer_list("ablate.d");
  if (dims.empty()) throw std::invalid_argument("ablate.d = []: give at least one embedding dimension");
  for (auto d : dims) {
    if (d < 1 || d > 1 << 16)
      throw std::invalid_argument(fmt::format("ablate.d contains {}: each d must be in [1, 65536]", d));
    if (std::find(s.dims.begin(), s.dims.end(), static_cast<int>(d)) != s.dims.end())
      throw std::invalid_argument(fmt::format("ablate.d contains {} twice", d));
    s.dims.push_back(static_cast<int>(d));
  }
  std::sort(s.dims.begin(), s.dims.end());
  const auto seeds = config.get_integer("ablate.seeds");
  if (seeds < 1 || seeds > 100000)
    throw std::invalid_argument(fmt::format("ablate.seeds = {}: must be an integer in [1, 100000]", seeds));
  s.seeds = static_cast<int>(seeds);

  auto add = [&s](Variant v, const std::string& key) {
    for (const auto& other : s.variants)
      if (other.name == v.name) throw std::invalid_argument(fmt::format("{} contains \"{}\" twice", key, v.name));
    s.variants.push_back(std::move(v));
  };
  for (const auto& name : config.get_string_list("ablate.switches")) add(make_variant({name}, "ablate.switches"), "ablate.switches");

  const toml::node& pairs = config.get("ablate.pairs");
  const auto* rows = pairs.as_array();
  const std::string shape = fmt::format(
      "ablate.pairs = {}: must be a list of pairs of switch names, for example [[\"content_qk\", \"rope=geometric\"]]",
      core::describe(pairs));
  if (!rows) throw std::invalid_argument(shape);
  for (const auto& row_node : *rows) {
    const auto* row = row_node.as_array();
    if (!row || row->size() != 2 || !row->get(0)->is_string() || !row->get(1)->is_string())
      throw std::invalid_argument(shape);
    const std::string a = *row->get(0)->value<std::string>(), b = *row->get(1)->value<std::string>();
    if (switch_key(a) == switch_key(b))
      throw std::invalid_argument(fmt::format(
          "ablate.pairs contains [\"{}\", \"{}\"]: a pair needs two different switches (two settings of one key "
          "cannot be on at once)",
          a, b));
    add(make_variant({a, b}, "ablate.pairs"), "ablate.pairs");
  }
  if (s.variants.empty())
    throw std::invalid_argument("ablate.switches and ablate.pairs are both empty: give at least one variant");
  return s;
}

core::Config variant_config(const core::Config& base, const Variant& variant, int d, int seeds) {
  core::Config config = base;
  config.apply_set(fmt::format("model.d={}", d));
  config.apply_set(fmt::format("train.seeds={}", seeds));
  for (const auto& a : variant.assignments) config.apply_set(a);
  return config;
}

meanfield::ModelParameters theory_parameters(const meanfield::ModelParameters& base, const Variant& variant) {
  auto p = base;
  if (std::find(variant.switches.begin(), variant.switches.end(), "single_lr") != variant.switches.end())
    p.eta_A = p.eta_W;
  return p;
}

std::string variant_slug(const std::string& name) {
  std::string out;
  for (char c : name) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                      c == '.' || c == '+';
    out += keep ? c : '-';
  }
  return out;
}

}  // namespace cotdyn::ablate
