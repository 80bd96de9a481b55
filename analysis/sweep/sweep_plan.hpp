#pragma once
// A sweep file (TOML) turned into a plan: the kind of point, the base config, and the axes whose
// values are combined (outer product or zip) into points. Each point is the base config with one
// value per axis set at its dotted key.
//
//   kind = "theory"                    # "theory" | "simulate" | "compare"
//   base = "config.toml"               # optional, relative to the sweep file; default: embedded config
//   combine = "product"                # or "zip" (all axes of equal length)
//   [axes]
//   "train.eta_A" = { log = [0.5, 8, 5] }
//   "model.sigma2" = { values = [1e-3, 1e-2] }
//   "task.L" = { linear = [5, 9, 3] }
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include <cotdyn/core/config.hpp>

namespace cotdyn::sweep {

enum class SweepKind { theory, simulate, compare };
enum class Combine { product, zip };
enum class AxisScale { values, linear, log };

std::string to_string(SweepKind kind);
std::string to_string(Combine combine);
std::string to_string(AxisScale scale);

struct Axis {
  std::string key;          // dotted config key, e.g. "train.eta_A"
  AxisScale scale = AxisScale::values;
  toml::array values;       // scalars (numbers, strings, booleans), in sweep order
};

struct SweepPlan {
  SweepKind kind = SweepKind::theory;
  Combine combine = Combine::product;
  std::vector<Axis> axes;   // in the order of the sweep file
  core::Config base;         // base config with --config / --set applied

  std::size_t point_count() const;
  // Index of each axis' value at point `point` (product: the last axis varies fastest).
  std::vector<std::size_t> value_indices(std::size_t point) const;
  // The base config with this point's axis values set.
  core::Config point_config(std::size_t point) const;

  // The plan as JSON (kind, combine, axes, base config): equal JSON means the same sweep.
  nlohmann::json to_json() const;
  // A short hash of to_json(): identifies the sweep in every output and point file.
  std::string sweep_id() const;
};

// Reads the sweep file. `base` overrides the file's base; `assignments` are --set overrides applied
// on top. Throws std::invalid_argument naming the offending key on bad input.
SweepPlan read_sweep_file(const std::string& path, const std::string& config_override = "",
                          const std::vector<std::string>& assignments = {});
// The same from TOML text; relative `base` paths are resolved against `directory`.
SweepPlan parse_sweep(const std::string& text, const std::string& directory, const std::string& origin,
                      const std::string& config_override = "", const std::vector<std::string>& assignments = {});

// 16 hex digits of the 64-bit FNV-1a hash of `text`.
std::string content_hash(const std::string& text);

// A TOML scalar as a CSV cell / JSON value.
std::string format_value(const toml::node& value);
nlohmann::json value_json(const toml::node& value);

}  // namespace cotdyn::sweep
